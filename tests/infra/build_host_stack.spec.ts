import { spawnSync } from 'node:child_process'
import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BOOTSTRAP_SCRIPT } from '../../infra/lib/constructs/build_host_user_data.js'
import { synthEnv } from './helpers.js'

/** A template value with its references written as ${Name}, the way Fn::Sub spells them. */
function render(value: unknown): string {
  if (typeof value === 'string') {
    return value
  }
  const node = value as Record<string, any>
  if (node['Fn::Join']) {
    return node['Fn::Join'][1].map(render).join(node['Fn::Join'][0])
  }
  if (node.Ref) {
    return `\${${node.Ref}}`
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`)
}

/** The build host's user data, as the instance receives it (references as ${Name}). */
function userData(): string {
  const [template] = Object.values(
    synthEnv('stage').template('buildHost').findResources('AWS::EC2::LaunchTemplate')
  )
  return render(template.Properties.LaunchTemplateData.UserData['Fn::Base64'])
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

  test('runs Debian 12, its official AMI resolved from the public SSM parameter at deploy time', () => {
    const template = synthEnv('stage').template('buildHost')
    template.hasParameter('*', {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/debian/release/12/latest/amd64',
    })
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: { Ref: Match.stringLikeRegexp('^SsmParameterValueawsservicedebianrelease12') },
        BlockDeviceMappings: [Match.objectLike({ DeviceName: '/dev/xvda' })],
      }),
    })
  })

  test('the repository URL and its deploy credential secret are stack parameters', () => {
    const template = synthEnv('stage').template('buildHost')
    template.hasParameter('RepositoryUrl', { Type: 'String', Default: Match.absent() })
    template.hasParameter('DeployCredentialName', {
      Type: 'String',
      Default: 'ngip/build-host/deploy-key',
    })
  })

  test('the user data embeds the bootstrap verbatim and runs it until it has once finished', ({
    assert,
  }) => {
    const script = userData()
    assert.include(script, BOOTSTRAP_SCRIPT.trimEnd())
    assert.include(script, "NGIP_REPO_URL='${RepositoryUrl}'")
    assert.include(script, "NGIP_CREDENTIAL_SECRET='${DeployCredentialName}'")
    assert.include(script, "BUILD_HOST_GROUP='ngip-build-host'")
    assert.include(script, "IDLE_MINUTES='30'")
    assert.include(script, 'ConditionPathExists=!/var/lib/ngip-pipeline/.bootstrapped')
    assert.include(script, 'systemctl start ngip-bootstrap.service')
    assert.include(script, 'case $state in Warmed:*) export NGIP_START=enable ;; esac')
    assert.isBelow(Buffer.byteLength(script), 16 * 1024, 'EC2 takes at most 16 KB of user data')
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' })
    assert.equal(syntax.status, 0, syntax.stderr)
  })

  test('the bootstrap it runs sets up the agent and the idle-check timer', ({ assert }) => {
    assert.include(
      BOOTSTRAP_SCRIPT,
      'ExecStart=$CHECKOUT/node_modules/.bin/node pipelines/agent/main.ts'
    )
    assert.include(BOOTSTRAP_SCRIPT, 'ExecStart=/usr/bin/env pnpm pipeline idle-check')
    assert.include(BOOTSTRAP_SCRIPT, 'OnUnitActiveSec=5min')
  })

  test('the role may read the deploy credential secret named by the parameter', ({ assert }) => {
    const policies = synthEnv('stage').template('buildHost').findResources('AWS::IAM::Policy')
    const resources = Object.values(policies)
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
      .flatMap((statement) => [statement.Resource].flat().map(render))
    assert.include(
      resources,
      'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${DeployCredentialName}-??????'
    )
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

/** The webhook Lambda's role policy, by the role the function runs as. */
function webhookPolicy() {
  const template = synthEnv('stage').template('buildHost')
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { LAST_PUSH_PARAMETER: Match.anyValue() } } },
    })
  )
  const role = fn.Properties.Role['Fn::GetAtt'][0]
  const [policy] = Object.values(template.findResources('AWS::IAM::Policy')).filter(
    (resource) => resource.Properties.Roles[0].Ref === role
  )
  return policy.Properties.PolicyDocument.Statement
}

test.group('infra build host push webhook', (group) => {
  group.each.timeout(60_000)

  test('answers POST /webhook only, on a throttled and access-logged stage', ({ assert }) => {
    const template = synthEnv('stage').template('buildHost')
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
    assert.deepEqual(
      routes.map((route) => route.Properties.RouteKey),
      ['POST /webhook']
    )
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    })
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    })
    template.hasOutput('WebhookUrl', {
      Value: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/webhook']],
      },
    })
    template.hasOutput('WebhookSecretName', { Value: 'ngip/push-webhook' })
  })

  test('the Lambda finds its secret, table, parameter and group in its environment', () => {
    synthEnv('stage')
      .template('buildHost')
      .hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Timeout: 9,
        Environment: {
          Variables: {
            WEBHOOK_SECRET_ID: { Ref: Match.stringLikeRegexp('PushWebhookSecret') },
            DELIVERIES_TABLE: { Ref: Match.stringLikeRegexp('PushWebhookDeliveries') },
            LAST_PUSH_PARAMETER: { Ref: Match.stringLikeRegexp('PushWebhookLastPush') },
            BUILD_HOST_GROUP: 'ngip-build-host',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      })
  })

  test('the Lambda may make its four calls, each on its one resource', ({ assert }) => {
    const statements: { Action: unknown; Resource: unknown }[] = webhookPolicy()
    assert.deepEqual(
      statements.map((statement) => statement.Action),
      [
        'secretsmanager:GetSecretValue',
        ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
        'ssm:PutParameter',
        'autoscaling:SetDesiredCapacity',
      ]
    )
    const [secret, table, parameter, autoscaling] = statements.map((statement) =>
      JSON.stringify(statement.Resource)
    )
    assert.match(secret, /^\{"Ref":"PushWebhookSecret\w+"\}$/)
    assert.match(table, /^\{"Fn::GetAtt":\["PushWebhookDeliveries\w+","Arn"\]\}$/)
    assert.include(parameter, ':parameter",{"Ref":"PushWebhookLastPush')
    assert.include(autoscaling, ':autoScalingGroup:*:autoScalingGroupName/ngip-build-host"]]}')
  })

  test('the delivery table is on demand, encrypted, with a TTL; parameter and secret exist', () => {
    const template = synthEnv('stage').template('buildHost')
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'delivery', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    })
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/ngip/build-host/last-push',
      Type: 'String',
    })
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'ngip/push-webhook',
      GenerateSecretString: Match.objectLike({ PasswordLength: 48 }),
      SecretString: Match.absent(),
    })
  })

  test('the build host may read the last push, and only read it', () => {
    synthEnv('stage')
      .template('buildHost')
      .hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^BuildHostRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: 'ssm:GetParameter',
              Effect: 'Allow',
              Resource: {
                'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('LastPush') }])],
              },
            },
          ]),
        },
      })
  })

  test('cdk-nag finds nothing unacknowledged in the webhook, and each reason is given', ({
    assert,
  }) => {
    const report = JSON.parse(
      readFileSync(join(synthEnv('stage').outdir, 'validation-report.json'), 'utf8')
    )
    const nag = report.pluginReports.find((plugin: any) => plugin.pluginName === 'AwsSolutions')
    const mine = (finding: any) => JSON.stringify(finding).includes('/PushWebhook/')
    assert.deepEqual(nag.violations.filter(mine), [])
    const acknowledged = nag.suppressedViolations.filter(mine)
    for (const finding of acknowledged) {
      assert.isAtLeast(finding.reason.length, 40, finding.ruleName)
    }
    assert.sameMembers(
      acknowledged.map((finding: any) => finding.ruleName.replace(/\[.*$/, '')),
      [
        'AwsSolutions-SMG4',
        'AwsSolutions-DDB3',
        'AwsSolutions-APIG4',
        'AwsSolutions-IAM4',
        'AwsSolutions-IAM5',
      ]
    )
  })
})
