import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { synthEnv } from './helpers.js'

test.group('infra network stack', (group) => {
  group.each.timeout(60_000)

  test('spans two AZs with public, app and isolated subnets', () => {
    const template = synthEnv('stage').template('network')
    template.resourceCountIs('AWS::EC2::Subnet', 6)
    template.resourceCountIs('AWS::EC2::FlowLog', 1)
    template.hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
    })
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() })
  })

  test('stage has one NAT gateway, prod one per AZ', () => {
    synthEnv('stage').template('network').resourceCountIs('AWS::EC2::NatGateway', 1)
    synthEnv('prod').template('network').resourceCountIs('AWS::EC2::NatGateway', 2)
  })
})
