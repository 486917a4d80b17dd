import { Duration } from 'aws-cdk-lib'
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling'
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as iam from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'
import type { ServiceSizing } from '../env_sizing.js'
import { acknowledge } from '../nag.js'

export interface BackgroundServiceProps {
  cluster: ecs.ICluster
  taskDefinition: ecs.FargateTaskDefinition
  desiredCount: number
  /** At most one task at any time, also during deployments (the scheduler). */
  singleton?: boolean
}

/**
 * A role without a load balancer (worker, scheduler) in the private subnets.
 * It rolls: with no traffic to shift, blue/green would only double the
 * consumers (and break the scheduler's one-at-a-time); the circuit breaker
 * rolls back tasks that never get steady.
 */
export class BackgroundService extends Construct {
  readonly service: ecs.FargateService

  constructor(scope: Construct, id: string, props: BackgroundServiceProps) {
    super(scope, id)
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: props.taskDefinition,
      desiredCount: props.desiredCount,
      minHealthyPercent: props.singleton ? 0 : 100,
      maxHealthyPercent: props.singleton ? 100 : 200,
      deploymentStrategy: ecs.DeploymentStrategy.ROLLING,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    })
  }

  /**
   * Scales on CPU and, in steps, on the backlog of the pings stream.
   */
  scaleOnQueueDepth(queueDepth: cloudwatch.IMetric, sizing: ServiceSizing) {
    const scaling = this.service.autoScaleTaskCount({
      minCapacity: sizing.minTasks,
      maxCapacity: sizing.maxTasks,
    })
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 })
    scaling.scaleOnMetric('QueueDepth', {
      metric: queueDepth,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(2),
      scalingSteps: [
        { upper: 100, change: -1 },
        { lower: 1_000, change: +1 },
        { lower: 10_000, change: +3 },
      ],
    })
  }

  /**
   * Lets the task publish CloudWatch metrics, to one namespace only.
   */
  allowMetricPublishing(namespace: string) {
    const role = this.service.taskDefinition.taskRole
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
      })
    )
    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]':
        'PutMetricData has no resource type; the condition limits it to one namespace.',
    })
  }
}
