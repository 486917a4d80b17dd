import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { type StackName, synthEnv } from './helpers.js'

const ALARMS = [
  ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count'],
  ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count'],
  ['ngip', 'PingQueueDepth'],
  ['AWS/RDS', 'CPUUtilization'],
  ['AWS/RDS', 'FreeStorageSpace'],
  ['AWS/Lambda', 'Errors'],
]

test.group('infra observability stack', (group) => {
  group.each.timeout(60_000)

  test('alarms on 5xx, ping queue depth, database CPU and storage and Lambda errors', ({
    assert,
  }) => {
    const template = synthEnv('prod').template('observability')
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    assert.sameDeepMembers(
      alarms.map((alarm) => [alarm.Properties.Namespace, alarm.Properties.MetricName]),
      ALARMS
    )
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'))
    for (const alarm of alarms) {
      assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: topic }])
    }
  })

  test('the alarm topic is KMS-encrypted, TLS-only and mails the configured address', () => {
    const template = synthEnv('prod').template('observability')
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() })
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true })
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    })
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    })
    synthEnv('stage').template('observability').resourceCountIs('AWS::SNS::Subscription', 0)
  })

  test('every log group of every stack has a retention', ({ assert }) => {
    const stacks: StackName[] = ['network', 'data', 'app', 'ping', 'buildHost']
    for (const env of ['stage', 'prod'] as const) {
      for (const name of stacks) {
        const groups = synthEnv(env).template(name).findResources('AWS::Logs::LogGroup')
        assert.isAbove(Object.keys(groups).length, 0, `${env}/${name}`)
        for (const [id, logGroup] of Object.entries(groups)) {
          assert.isNumber(logGroup.Properties.RetentionInDays, `${env}/${name}/${id}`)
        }
      }
    }
    synthEnv('prod')
      .template('app')
      .hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 })
  })

  test('prod keeps its log groups when a stack is deleted; stage does not', ({ assert }) => {
    for (const [env, policy] of [
      ['prod', 'Retain'],
      ['stage', 'Delete'],
    ] as const) {
      const groups = synthEnv(env).template('app').findResources('AWS::Logs::LogGroup')
      for (const [id, logGroup] of Object.entries(groups)) {
        assert.equal(logGroup.DeletionPolicy, policy, `${env}/${id}`)
      }
    }
  })
})
