import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { synthEnv } from './helpers.js'

const COMMANDS = {
  'ngip-stage-web': ['node', 'bin/server.js'],
  'ngip-stage-worker': ['node', 'ace.js', 'worker:run'],
  'ngip-stage-scheduler': ['node', 'ace.js', 'scheduler:run'],
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

  test('web, worker and scheduler run the one image with their own command; no one-off task here', ({
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
      })
    }
  })

  test('every service rolls back a failed deployment; the scheduler never runs twice', ({
    assert,
  }) => {
    const services = synthEnv('stage').template('app').findResources('AWS::ECS::Service')
    assert.lengthOf(Object.keys(services), 3)
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
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 6 + 1)
    for (const name of ['Web', 'Worker', 'Scheduler']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        Description: `${name} to PostgreSQL`,
        IpProtocol: 'tcp',
        GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecurityGroup') },
      })
    }
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
