import { Duration } from 'aws-cdk-lib'
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import type * as ecs from 'aws-cdk-lib/aws-ecs'
import * as patterns from 'aws-cdk-lib/aws-ecs-patterns'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import type * as route53 from 'aws-cdk-lib/aws-route53'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import type { ServiceSizing } from '../env_sizing.js'
import { acknowledge } from '../nag.js'
import { enableAlbAccessLogs } from './alb_access_logs.js'

export interface WebServiceProps {
  cluster: ecs.ICluster
  taskDefinition: ecs.FargateTaskDefinition
  sizing: ServiceSizing
  /** Host name of the app; its certificate is validated in `zone`. */
  domainName: string
  zone: route53.IHostedZone
  accessLogs: s3.Bucket
  healthCheckPath: string
  deletionProtection: boolean
}

/**
 * The web role behind a public ALB: HTTPS only (HTTP redirects), access
 * logged, rolled back by the circuit breaker, scaled on CPU.
 */
export class WebService extends Construct {
  readonly service: patterns.ApplicationLoadBalancedFargateService
  readonly loadBalancer: elbv2.ApplicationLoadBalancer

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id)
    this.loadBalancer = this.createLoadBalancer(props)
    this.service = new patterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: props.taskDefinition,
      loadBalancer: this.loadBalancer,
      certificate: new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(props.zone),
      }),
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      redirectHTTP: true,
      desiredCount: props.sizing.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      circuitBreaker: { enable: true, rollback: true },
      taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    })
    this.service.targetGroup.configureHealthCheck({
      path: props.healthCheckPath,
      healthyHttpCodes: '200',
    })
    this.service.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '30')
    this.service.service
      .autoScaleTaskCount({
        minCapacity: props.sizing.minTasks,
        maxCapacity: props.sizing.maxTasks,
      })
      .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 })
  }

  private createLoadBalancer(props: WebServiceProps) {
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.cluster.vpc,
      internetFacing: true,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection,
    })
    enableAlbAccessLogs({ loadBalancer, bucket: props.accessLogs, prefix: 'alb' })
    acknowledge(loadBalancer, {
      'AwsSolutions-EC23':
        'Public web entry point: 443 open to the world, 80 only redirects to HTTPS.',
    })
    return loadBalancer
  }
}
