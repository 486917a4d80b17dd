import { test } from '@japa/runner'
import { Match, type Template } from 'aws-cdk-lib/assertions'
import { TEST_TRAFFIC_HEADER } from '../../infra/lib/constructs/deploy_check.js'
import { synthEnv } from './helpers.js'

type Resource = { Type: string; Properties: Record<string, any>; [key: string]: any }

function only(template: Template, type: string, props: Record<string, unknown> = {}) {
  const found = Object.entries(template.findResources(type, { Properties: props }))
  if (found.length !== 1) {
    throw new Error(`expected one ${type} matching, found ${found.length}`)
  }
  return found[0] as [string, Resource]
}

/** The web service: the one ECS service behind a load balancer on the web's port (smtpd's NLB is not). */
function webService(template: Template) {
  return only(template, 'AWS::ECS::Service', {
    LoadBalancers: Match.arrayWith([
      Match.objectLike({ ContainerName: 'app', ContainerPort: 3333 }),
    ]),
  })
}

/** Logical id of the resource a `{ Ref }` points at. */
function ref(value: unknown): string {
  const id = (value as { Ref?: string }).Ref
  if (!id) {
    throw new Error(`not a Ref: ${JSON.stringify(value)}`)
  }
  return id
}

function alarmName(template: Template, logicalId: string): string {
  return template.findResources('AWS::CloudWatch::Alarm')[logicalId].Properties.AlarmName
}

test.group('infra blue/green web deploys', (group) => {
  group.each.timeout(60_000)

  test('prod switches colours with a 10-minute bake, rolled back by circuit breaker and alarms', ({
    assert,
  }) => {
    const template = synthEnv('prod').template('app')
    const [webId, web] = webService(template)
    template.hasOutput('WebServiceName', { Value: { 'Fn::GetAtt': [webId, 'Name'] } })
    const deployment = web.Properties.DeploymentConfiguration
    assert.equal(deployment.Strategy, 'BLUE_GREEN')
    assert.equal(deployment.BakeTimeInMinutes, 10)
    assert.deepEqual(deployment.DeploymentCircuitBreaker, { Enable: true, Rollback: true })
    assert.deepInclude(deployment.Alarms, { Enable: true, Rollback: true })
    const names = deployment.Alarms.AlarmNames.map((name: unknown) =>
      alarmName(template, ref(name))
    )
    assert.sameMembers(names, ['ngip-prod-app-web-5xx-rate', 'ngip-prod-app-web-unhealthy-targets'])
  })

  test('stage takes the same path with a short bake, so each stage deploy rehearses it', ({
    assert,
  }) => {
    const [, web] = webService(synthEnv('stage').template('app'))
    assert.equal(web.Properties.DeploymentConfiguration.Strategy, 'BLUE_GREEN')
    assert.equal(web.Properties.DeploymentConfiguration.BakeTimeInMinutes, 2)
  })

  test('green is the alternate target group, moved by the production and test listener rules', ({
    assert,
  }) => {
    const template = synthEnv('prod').template('app')
    const [, web] = webService(template)
    const [target] = web.Properties.LoadBalancers
    const advanced = target.AdvancedConfiguration
    const blue = ref(target.TargetGroupArn)
    const green = ref(advanced.AlternateTargetGroupArn)
    assert.notEqual(blue, green)
    assert.include(web.DependsOn, ref(advanced.ProductionListenerRule))
    const rules = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')
    const production = rules[ref(advanced.ProductionListenerRule)].Properties
    const testRule = rules[ref(advanced.TestListenerRule)].Properties
    assert.deepEqual(production.Conditions, [
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
    ])
    assert.deepEqual(testRule.Conditions, [
      {
        Field: 'http-header',
        HttpHeaderConfig: { HttpHeaderName: TEST_TRAFFIC_HEADER.name, Values: ['green'] },
      },
    ])
    assert.isBelow(testRule.Priority, production.Priority)
    for (const rule of [production, testRule]) {
      const weights = rule.Actions[0].ForwardConfig.TargetGroups.map((tuple: any) => [
        ref(tuple.TargetGroupArn),
        tuple.Weight,
      ])
      assert.sameDeepMembers(weights, [
        [blue, 100],
        [green, 0],
      ])
    }
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [
        Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('ForLoadBalancers')])],
        }),
      ],
    })
  })

  test('the HTTPS listener only forwards, as ECS blue/green requires', ({ assert }) => {
    const template = synthEnv('prod').template('app')
    const [, listener] = only(template, 'AWS::ElasticLoadBalancingV2::Listener', { Port: 443 })
    const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
    const actions = [
      ...listener.Properties.DefaultActions,
      ...rules.flatMap((r) => r.Properties.Actions),
    ]
    assert.isTrue(actions.every((action) => action.Type === 'forward'))
  })

  test('the rollback alarms watch 5xx share and unhealthy targets of both colours', ({
    assert,
  }) => {
    const template = synthEnv('prod').template('app')
    const [, web] = webService(template)
    const [target] = web.Properties.LoadBalancers
    const colours = [
      ref(target.TargetGroupArn),
      ref(target.AdvancedConfiguration.AlternateTargetGroupArn),
    ]
    const [, errors] = only(template, 'AWS::CloudWatch::Alarm', {
      AlarmName: 'ngip-prod-app-web-5xx-rate',
    })
    const metricNames = errors.Properties.Metrics.flatMap(
      (m: any) => m.MetricStat?.Metric.MetricName ?? []
    )
    assert.sameMembers(metricNames, [
      'HTTPCode_Target_5XX_Count',
      'HTTPCode_ELB_5XX_Count',
      'RequestCount',
    ])
    assert.include(errors.Properties, { Threshold: 5, EvaluationPeriods: 2, DatapointsToAlarm: 2 })
    const [, unhealthy] = only(template, 'AWS::CloudWatch::Alarm', {
      AlarmName: 'ngip-prod-app-web-unhealthy-targets',
    })
    const groups = unhealthy.Properties.Metrics.flatMap((m: any) =>
      (m.MetricStat?.Metric.Dimensions ?? [])
        .filter((d: any) => d.Name === 'TargetGroup')
        .map((d: any) => d.Value['Fn::GetAtt'][0])
    )
    assert.sameMembers(groups, colours)
  })

  test('green is checked through the test rule before production traffic moves', ({ assert }) => {
    const template = synthEnv('prod').template('app')
    const [, web] = webService(template)
    const [hook] = web.Properties.DeploymentConfiguration.LifecycleHooks
    assert.deepEqual(hook.LifecycleStages, ['POST_TEST_TRAFFIC_SHIFT'])
    const fnId = hook.HookTargetArn['Fn::GetAtt'][0]
    const fn = template.findResources('AWS::Lambda::Function')[fnId].Properties
    assert.include(fn.Environment.Variables, {
      GREEN_CHECK_SERVER_NAME: 'ngip.example.com',
      GREEN_CHECK_PATH: '/health/ready',
      GREEN_CHECK_HEADER: `${TEST_TRAFFIC_HEADER.name}: green`,
    })
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: hook.RoleArn['Fn::GetAtt'][0] }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [fnId, 'Arn'] },
          },
        ],
      },
    })
  })
})

test.group('infra blue/green ping deploys', (group) => {
  group.each.timeout(60_000)

  test('{env}: CodeDeploy shifts the alias, rolled back by the errors alarm')
    .with([
      { env: 'prod' as const, config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' },
      { env: 'stage' as const, config: 'CodeDeployDefault.LambdaAllAtOnce' },
    ])
    .run(({ assert }, { env, config }) => {
      const template = synthEnv(env).template('ping')
      const [groupId, deployGroup] = only(template, 'AWS::CodeDeploy::DeploymentGroup')
      const { Properties: properties } = deployGroup
      assert.equal(properties.DeploymentConfigName, config)
      assert.deepEqual(properties.AutoRollbackConfiguration, {
        Enabled: true,
        Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
      })
      assert.isTrue(properties.AlarmConfiguration.Enabled)
      const [alarm] = properties.AlarmConfiguration.Alarms
      assert.equal(alarmName(template, ref(alarm.Name)), `ngip-${env}-ping-errors`)
      const [, alias] = only(template, 'AWS::Lambda::Alias')
      assert.equal(ref(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName), groupId)
    })

  test('the errors alarm counts invocations through the alias', ({ assert }) => {
    const template = synthEnv('prod').template('ping')
    const [, alarm] = only(template, 'AWS::CloudWatch::Alarm', {
      AlarmName: 'ngip-prod-ping-errors',
    })
    const metrics = alarm.Properties.Metrics.filter((m: any) => m.MetricStat)
    assert.sameMembers(
      metrics.map((m: any) => m.MetricStat.Metric.MetricName),
      ['Errors', 'Invocations']
    )
    for (const metric of metrics) {
      const resource = metric.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Resource')
      assert.deepInclude(resource.Value['Fn::Join'][1], ':live')
    }
  })
})
