import { test } from '@japa/runner'
import { type StackName, synthEnv } from './helpers.js'

/** The only actions granted on every resource: neither supports resource-level permissions. */
const ON_ANY_RESOURCE: Record<string, unknown> = {
  'ecr:GetAuthorizationToken': undefined,
  'cloudwatch:PutMetricData': { StringEquals: { 'cloudwatch:namespace': 'ngip' } },
}

interface Statement {
  Action: string | string[]
  Resource: unknown
  Condition?: unknown
}

function statements(env: 'stage' | 'prod'): [string, Statement][] {
  const found: [string, Statement][] = []
  const synthesized = synthEnv(env)
  for (const name of Object.keys(synthesized.stacks) as StackName[]) {
    const resources = synthesized.template(name).toJSON().Resources as Record<string, any>
    for (const [id, resource] of Object.entries(resources)) {
      const documents =
        resource.Type === 'AWS::IAM::Policy'
          ? [resource.Properties.PolicyDocument]
          : (resource.Properties?.Policies ?? []).map((policy: any) => policy.PolicyDocument)
      for (const document of documents) {
        found.push(
          ...document.Statement.map((statement: Statement) => [`${env}/${name}/${id}`, statement])
        )
      }
    }
  }
  return found
}

test.group('infra iam', (group) => {
  group.each.timeout(60_000)

  test('no policy grants a wildcard action', ({ assert }) => {
    for (const env of ['stage', 'prod'] as const) {
      for (const [where, statement] of statements(env)) {
        for (const action of [statement.Action].flat()) {
          assert.notInclude(action, '*', `${where} grants ${action}`)
        }
      }
    }
  })

  test('only actions without resource-level permissions are granted on every resource', ({
    assert,
  }) => {
    for (const env of ['stage', 'prod'] as const) {
      for (const [where, statement] of statements(env)) {
        if ([statement.Resource].flat().includes('*')) {
          const [action, ...rest] = [statement.Action].flat()
          assert.lengthOf(rest, 0, where)
          assert.property(ON_ANY_RESOURCE, action, `${where} grants ${action} on *`)
          assert.deepEqual(statement.Condition, ON_ANY_RESOURCE[action], where)
        }
      }
    }
  })
})
