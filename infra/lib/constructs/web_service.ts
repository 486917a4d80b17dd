import { CfnOutput, Duration, Stack } from 'aws-cdk-lib'
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import type * as route53 from 'aws-cdk-lib/aws-route53'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import type { WebSizing } from '../env_sizing.js'
import { acknowledge } from '../nag.js'
import { enableAlbAccessLogs } from './alb_access_logs.js'
import { webRollbackAlarms } from './deploy_alarms.js'
import { DeployCheck } from './deploy_check.js'
import { DeployListener } from './deploy_listener.js'

export interface WebServiceProps {
  cluster: ecs.ICluster
  taskDefinition: ecs.FargateTaskDefinition
  sizing: WebSizing
  /** Host name of the app; its certificate is validated in `zone`. */
  domainName: string
  zone: route53.IHostedZone
  accessLogs: s3.Bucket
  healthCheckPath: string
  /** Prod: the ALB cannot be deleted, and the deploy check's logs outlive the stack. */
  deletionProtection: boolean
}

/**
 * The web role behind a public ALB (HTTPS only, HTTP redirects, access
 * logged, scaled on CPU), deployed blue/green by ECS: green starts beside
 * blue in the other target group, is checked through the test listener rule,
 * takes the production rule, and blue stays up for the bake time. A rollback
 * alarm or a failed check during all that puts traffic back on blue.
 */
export class WebService extends Construct {
  readonly service: ecs.FargateService
  readonly loadBalancer: elbv2.ApplicationLoadBalancer
  readonly listener: DeployListener
  readonly rollbackAlarms: cloudwatch.Alarm[]

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id)
    const container = props.taskDefinition.defaultContainer!
    this.loadBalancer = this.createLoadBalancer(props)
    this.listener = new DeployListener(this, 'Colours', {
      vpc: props.cluster.vpc,
      loadBalancer: this.loadBalancer,
      certificate: new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(props.zone),
      }),
      port: container.containerPort,
      healthCheckPath: props.healthCheckPath,
    })
    this.rollbackAlarms = webRollbackAlarms(this, {
      namePrefix: Stack.of(this).stackName,
      loadBalancer: this.loadBalancer,
      targetGroups: [this.listener.blue, this.listener.green],
    })
    this.service = this.createService(props)
    this.listener.attach(this.service, container.containerName)
    new DeployCheck(this, 'DeployCheck', {
      service: this.service,
      loadBalancer: this.loadBalancer,
      serverName: props.domainName,
      path: '/health/ready',
      retainLogs: props.deletionProtection,
    })
    this.service
      .autoScaleTaskCount({
        minCapacity: props.sizing.minTasks,
        maxCapacity: props.sizing.maxTasks,
      })
      .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 })
    // What a manual rollback needs (infra/README.md, "Deploys and rollbacks").
    new CfnOutput(this, 'ServiceName', { value: this.service.serviceName }).overrideLogicalId(
      'WebServiceName'
    )
  }

  private createService(props: WebServiceProps) {
    return new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: props.taskDefinition,
      desiredCount: props.sizing.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
      bakeTime: Duration.minutes(props.sizing.bakeMinutes),
      deploymentAlarms: {
        alarmNames: this.rollbackAlarms.map((alarm) => alarm.alarmName),
        behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
      },
      // Green tasks that never get healthy fail the deploy before any alarm could.
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    })
  }

  private createLoadBalancer(props: WebServiceProps) {
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.cluster.vpc,
      internetFacing: true,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection,
    })
    enableAlbAccessLogs({ loadBalancer, bucket: props.accessLogs, prefix: 'alb' })
    loadBalancer.addListener('PublicRedirectListener', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      defaultAction: elbv2.ListenerAction.redirect({
        protocol: 'HTTPS',
        port: '443',
        permanent: true,
      }),
    })
    acknowledge(loadBalancer, {
      'AwsSolutions-EC23':
        'Public web entry point: 443 open to the world, 80 only redirects to HTTPS.',
    })
    return loadBalancer
  }
}
