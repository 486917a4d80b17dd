import { test } from '@japa/runner'
import { type StackName, synthEnv } from './helpers.js'
import { matchSnapshot, normaliseTemplate } from './snapshot.js'

const STACKS: StackName[] = [
  'shared',
  'buildHost',
  'network',
  'data',
  'app',
  'ping',
  'static',
  'dns',
  'observability',
]

test.group('infra snapshots', (group) => {
  group.each.timeout(60_000)

  test('the {$self} stack template is unchanged (UPDATE_SNAPSHOTS=1 to accept)')
    .with(STACKS)
    .run(async ({ assert }, name) => {
      const synthesized = synthEnv('stage')
      const template = normaliseTemplate(
        synthesized.template(name).toJSON(),
        synthesized.config.imageTag
      )
      await matchSnapshot(assert, synthesized.stacks[name].stackName, template)
    })
})
