import { Duration } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { acknowledge } from '../nag.js'
import { enableAlbAccessLogs } from './alb_access_logs.js'

export interface SmtpServiceProps {
  cluster: ecs.ICluster
  /** The smtpd role's task; its container listens on `containerPort`. */
  taskDefinition: ecs.FargateTaskDefinition
  containerPort: number
  desiredCount: number
  accessLogs: s3.Bucket
  deletionProtection: boolean
}

/** The port senders' mail servers deliver to (MX). */
export const SMTP_PORT = 25

/**
 * Email pings on AWS: a public NLB takes SMTP on port 25 and passes the TCP
 * connections to the smtpd role (the same image, `ping/smtpd/main.js`) in
 * the private subnets, which checks the Token set in Redis and puts the
 * ping on the stream, as the edge does. Port 25 is open to the world on the
 * NLB's security group only; the tasks admit SMTP from that group alone.
 */
export class SmtpService extends Construct {
  readonly service: ecs.FargateService
  readonly loadBalancer: elbv2.NetworkLoadBalancer

  constructor(scope: Construct, id: string, props: SmtpServiceProps) {
    super(scope, id)
    const vpc = props.cluster.vpc
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: props.taskDefinition,
      desiredCount: props.desiredCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      deploymentStrategy: ecs.DeploymentStrategy.ROLLING,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    })
    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'Nlb', {
      vpc,
      internetFacing: true,
      crossZoneEnabled: true,
      deletionProtection: props.deletionProtection,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    })
    enableAlbAccessLogs({
      loadBalancer: this.loadBalancer,
      bucket: props.accessLogs,
      prefix: 'nlb',
    })
    // An NLB's security group opens nothing by itself: senders in, the NLB to the tasks.
    this.loadBalancer.connections.allowFromAnyIpv4(ec2.Port.tcp(SMTP_PORT), 'SMTP from senders')
    this.service.connections.allowFrom(
      this.loadBalancer,
      ec2.Port.tcp(props.containerPort),
      'SMTP from the load balancer'
    )
    const listener = this.loadBalancer.addListener('Smtp', {
      port: SMTP_PORT,
      protocol: elbv2.Protocol.TCP,
    })
    listener.addTargets('Smtpd', {
      port: props.containerPort,
      protocol: elbv2.Protocol.TCP,
      targets: [
        this.service.loadBalancerTarget({
          containerName: props.taskDefinition.defaultContainer!.containerName,
          containerPort: props.containerPort,
        }),
      ],
      // A task stopping finishes the SMTP dialogues it has (smtpd closes within 6 s).
      deregistrationDelay: Duration.seconds(10),
      healthCheck: { protocol: elbv2.Protocol.TCP, interval: Duration.seconds(10) },
    })
    acknowledge(this.loadBalancer, {
      'AwsSolutions-EC23':
        'Public mail entry point (the MX of the ping host): only port 25 is open to the world.',
    })
  }
}
