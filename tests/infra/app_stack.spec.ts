import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { synthEnv } from './helpers.js'

const COMMANDS = {
  'ngip-stage-web': ['node', 'bin/server.js'],
  'ngip-stage-worker': ['node', 'ace.js', 'worker:run'],
  'ngip-stage-scheduler': ['node', 'ace.js', 'scheduler:run'],
  'ngip-stage-smtpd': [
    'node',
    '--max-semi-space-size=1',
    '--single-threaded',
    'ping/smtpd/main.js',
  ],
}

const APP_ENV = [
  'DB_HOST',
  'DB_PORT',
  'DB_DATABASE',
  'DB_SSL',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_TLS',
  'APP_URL',
  'PORT',
  'HOST',
  'PING_URL',
  'PING_EMAIL_DOMAIN',
  'PING_BODY_LIMIT',
  'PING_RATE_LIMIT',
  'NODE_ENV',
  'SESSION_DRIVER',
  'LIMITER_STORE',
  'QUEUE_DRIVER',
]
const APP_SECRETS = ['APP_KEY', 'DB_PASSWORD', 'DB_USER', 'REDIS_PASSWORD']

function containers() {
  const definitions = synthEnv('stage').template('app').findResources('AWS::ECS::TaskDefinition')
  return Object.values(definitions).map((definition) => ({
    family: definition.Properties.Family as keyof typeof COMMANDS,
    container: definition.Properties.ContainerDefinitions[0],
  }))
}

test.group('infra app stack', (group) => {
  group.each.timeout(60_000)

  test('web, worker, scheduler and smtpd run the one image with their own command; no one-off task here', ({
    assert,
  }) => {
    const all = containers()
    assert.sameMembers(
      all.map(({ family }) => family),
      Object.keys(COMMANDS)
    )
    for (const { family, container } of all) {
      assert.deepEqual(container.Command, COMMANDS[family], family)
      assert.deepEqual(container.Image, all[0].container.Image, family)
      assert.equal(container.LogConfiguration.LogDriver, 'awslogs', family)
    }
    assert.match(JSON.stringify(all[0].container.Image), /\/ngip:test"/)
  })

  test('credentials come from Secrets Manager, settings from plain variables', ({ assert }) => {
    for (const { family, container } of containers()) {
      const names = (list: { Name: string }[]) => list.map((entry) => entry.Name)
      assert.sameMembers(names(container.Secrets), APP_SECRETS, family)
      assert.includeMembers(names(container.Environment), APP_ENV, family)
      assert.notIncludeMembers(names(container.Environment), APP_SECRETS, family)
      const env = Object.fromEntries(
        container.Environment.map((entry: any) => [entry.Name, entry.Value])
      )
      assert.include(env, {
        HOST: '0.0.0.0',
        PORT: '3333',
        NODE_ENV: 'production',
        DB_SSL: 'true',
        REDIS_TLS: 'true',
      })
      assert.include(env, {
        APP_URL: 'https://stage.ngip.example.com',
        PING_URL: 'https://ping.stage.ngip.example.com',
        PING_EMAIL_DOMAIN: 'ping.stage.ngip.example.com',
      })
    }
  })

  test('every service rolls back a failed deployment; the scheduler never runs twice', ({
    assert,
  }) => {
    const services = synthEnv('stage').template('app').findResources('AWS::ECS::Service')
    assert.lengthOf(Object.keys(services), 4)
    for (const service of Object.values(services)) {
      assert.deepInclude(service.Properties.DeploymentConfiguration, {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      })
      assert.equal(
        service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp,
        'DISABLED'
      )
    }
    synthEnv('stage')
      .template('app')
      .hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 1,
        DeploymentConfiguration: Match.objectLike({
          MaximumPercent: 100,
          MinimumHealthyPercent: 0,
        }),
      })
  })

  test('web, worker and scheduler may reach PostgreSQL and Redis', () => {
    const template = synthEnv('stage').template('app')
    // 6 to the data stores, 1 from the ALB to web, 2 for smtpd (from its NLB; to Redis)
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 6 + 1 + 2)
    for (const name of ['Web', 'Worker', 'Scheduler']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        Description: `${name} to PostgreSQL`,
        IpProtocol: 'tcp',
        GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecurityGroup') },
      })
    }
  })

  test('email pings: port 25 of a public NLB reaches the smtpd tasks alone, which reach Redis and never PostgreSQL', ({
    assert,
  }) => {
    const { stacks } = synthEnv('stage')
    const template = synthEnv('stage').template('app')
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      Scheme: 'internet-facing',
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 25,
      Protocol: 'TCP',
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 2525,
      Protocol: 'TCP',
      TargetType: 'ip',
    })
    const stack = stacks.app
    const resolve = (value: unknown) => JSON.stringify(stack.resolve(value))
    const smtpdGroup = resolve(
      stacks.app.smtp.service.connections.securityGroups[0].securityGroupId
    )
    const nlbGroup = resolve(
      stacks.app.smtp.loadBalancer.connections.securityGroups[0].securityGroupId
    )
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
    const intoSmtpd = ingress.filter(
      (rule) => JSON.stringify(rule.Properties.GroupId) === smtpdGroup
    )
    assert.lengthOf(intoSmtpd, 1)
    assert.equal(JSON.stringify(intoSmtpd[0].Properties.SourceSecurityGroupId), nlbGroup)
    assert.equal(intoSmtpd[0].Properties.FromPort, 2525)
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 25, ToPort: 25 })],
    })
    const fromSmtpd = ingress
      .filter((rule) => JSON.stringify(rule.Properties.SourceSecurityGroupId) === smtpdGroup)
      .map((rule) => rule.Properties.Description)
    assert.deepEqual(fromSmtpd, ['Smtpd to Redis'])
  })

  test("web believes X-Forwarded-For only from the load balancer's subnets", ({ assert }) => {
    const { stacks } = synthEnv('stage')
    const network = synthEnv('stage').template('network')
    const publicCidrs = Object.values(network.findResources('AWS::EC2::Subnet'))
      .filter((subnet) => subnet.Properties.MapPublicIpOnLaunch === true)
      .map((subnet) => subnet.Properties.CidrBlock as string)
    assert.lengthOf(publicCidrs, 2)
    const albSubnets = stacks.app.web.loadBalancer.vpc!.publicSubnets.map((s) => s.ipv4CidrBlock)
    assert.sameMembers(albSubnets, publicCidrs)
    for (const { family, container } of containers()) {
      const trusted = container.Environment.find((entry: any) => entry.Name === 'TRUSTED_PROXIES')
      if (family === 'ngip-stage-web') {
        assert.sameMembers(trusted?.Value.split(','), publicCidrs, family)
      } else {
        assert.isUndefined(trusted, family)
      }
    }
  })
})
