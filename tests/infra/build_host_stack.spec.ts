import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { synthEnv } from './helpers.js'

function userData(): string {
  const [template] = Object.values(
    synthEnv('stage').template('buildHost').findResources('AWS::EC2::LaunchTemplate')
  )
  return JSON.stringify(template.Properties.LaunchTemplateData.UserData)
}

test.group('infra build host stack', (group) => {
  group.each.timeout(60_000)

  test('the launch template requires IMDSv2, encrypts its disk and stops on shutdown', () => {
    synthEnv('stage')
      .template('buildHost')
      .hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
          InstanceInitiatedShutdownBehavior: 'stop',
          Monitoring: { Enabled: true },
          BlockDeviceMappings: [
            Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3' }) }),
          ],
        }),
      })
  })

  test('runs in a group of at most one whose warm pool keeps the instance stopped', () => {
    const template = synthEnv('stage').template('buildHost')
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      AutoScalingGroupName: 'ngip-build-host',
      MinSize: '0',
      MaxSize: '1',
      DesiredCapacity: Match.absent(),
    })
    template.hasResourceProperties('AWS::AutoScaling::WarmPool', {
      PoolState: 'Stopped',
      InstanceReusePolicy: { ReuseOnScaleIn: true },
    })
  })

  test('has no inbound rule and is reached through SSM', () => {
    const template = synthEnv('stage').template('buildHost')
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.absent(),
    })
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0)
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore'],
          ],
        },
      ],
    })
  })

  test('a systemd timer runs the pipeline idle-check', ({ assert }) => {
    const script = userData()
    assert.include(script, 'ngip-idle-check.timer')
    assert.include(script, 'OnUnitActiveSec=5min')
    assert.include(script, 'ExecStart=/usr/bin/env pnpm run pipeline idle-check')
    assert.include(script, 'Environment=BUILD_HOST_GROUP=ngip-build-host')
    assert.include(script, 'npm install -g pnpm@12.21.0')
  })

  test('the role may scale in only its own group and pass only app roles to ECS', () => {
    const template = synthEnv('stage').template('buildHost')
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'iam:PassRole',
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
          Match.objectLike({
            Action: 'autoscaling:SetDesiredCapacity',
            Resource: {
              'Fn::Join': [
                '',
                Match.arrayWith([':autoScalingGroup:*:autoScalingGroupName/ngip-build-host']),
              ],
            },
          }),
        ]),
      },
    })
  })
})
