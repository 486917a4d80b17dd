import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { synthEnv } from './helpers.js'

test.group('infra web and worker services', (group) => {
  group.each.timeout(60_000)

  test('the ALB serves HTTPS with a DNS-validated certificate and redirects HTTP', () => {
    const template = synthEnv('stage').template('app')
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'stage.ngip.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: 'stage.ngip.example.com', HostedZoneId: 'Z0123456789EXAMPLE' },
      ],
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('Certificate') } }],
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443' }) }),
      ],
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health/live',
    })
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [Match.objectLike({ ContainerName: 'app', ContainerPort: 3333 })],
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
    })
  })

  test('web and worker scale on CPU, the worker also on the ping queue depth', ({ assert }) => {
    const template = synthEnv('prod').template('app')
    const cpu = template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', {
      Properties: { PolicyType: 'TargetTrackingScaling' },
    })
    assert.lengthOf(Object.keys(cpu), 2)
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 10,
    })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ngip',
      MetricName: 'PingQueueDepth',
      Dimensions: [{ Name: 'Environment', Value: 'prod' }],
      AlarmActions: [
        { Ref: Match.stringLikeRegexp('WorkerServiceTaskCountTargetQueueDepthUpper') },
      ],
    })
  })

  test('worker and scheduler roll, rolled back by the circuit breaker', ({ assert }) => {
    const template = synthEnv('prod').template('app')
    const background = Object.values(
      template.findResources('AWS::ECS::Service', { Properties: { LoadBalancers: [] } })
    )
    assert.lengthOf(background, 2)
    for (const service of background) {
      const deployment = service.Properties.DeploymentConfiguration
      assert.equal(deployment.Strategy, 'ROLLING')
      assert.deepEqual(deployment.DeploymentCircuitBreaker, { Enable: true, Rollback: true })
      assert.notProperty(deployment, 'BakeTimeInMinutes')
    }
    const scheduler = background.find((service) => service.Properties.DesiredCount === 1)
    assert.include(scheduler?.Properties.DeploymentConfiguration, {
      MinimumHealthyPercent: 0,
      MaximumPercent: 100,
    })
  })

  test('the worker may publish metrics only to the ngip namespace', () => {
    synthEnv('stage')
      .template('app')
      .hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 'cloudwatch:PutMetricData',
              Effect: 'Allow',
              Resource: '*',
              Condition: { StringEquals: { 'cloudwatch:namespace': 'ngip' } },
            },
          ],
        },
      })
  })
})
