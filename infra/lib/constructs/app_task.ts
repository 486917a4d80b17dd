import * as ecs from 'aws-cdk-lib/aws-ecs'
import type * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { acknowledge } from '../nag.js'
import { createLogGroup, type LogSettings } from './log_group.js'

export interface AppTaskProps {
  family: string
  image: ecs.ContainerImage
  command: string[]
  cpu: number
  memoryMiB: number
  environment: Record<string, string>
  secrets: Record<string, ecs.Secret>
  logs: LogSettings
  /** Container port, for the roles behind a load balancer (web, smtpd). */
  port?: number
}

/**
 * One role of the app image (web, worker, scheduler, migrations): a Fargate
 * task definition whose container runs the given command and logs to its own
 * log group.
 */
export class AppTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition
  readonly logGroup: logs.LogGroup

  constructor(scope: Construct, id: string, props: AppTaskProps) {
    super(scope, id)
    this.logGroup = createLogGroup(this, 'Logs', props.logs)
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: props.family,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    })
    this.taskDefinition.addContainer('app', {
      image: props.image,
      command: props.command,
      environment: props.environment,
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.family }),
      portMappings: props.port ? [{ containerPort: props.port }] : undefined,
    })
    acknowledge(this.taskDefinition, {
      'AwsSolutions-ECS2':
        'Only non-secret settings (hosts, ports, drivers) are plain variables; credentials come from Secrets Manager.',
    })
    acknowledge(this.taskDefinition.obtainExecutionRole(), {
      'AwsSolutions-IAM5[Resource::*]':
        'ecr:GetAuthorizationToken has no resource-level permissions; image pulls are scoped to the repository.',
    })
  }
}
