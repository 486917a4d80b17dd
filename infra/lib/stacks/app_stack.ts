import { CfnOutput, Fn, Stack, type StackProps, Token } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecr from 'aws-cdk-lib/aws-ecr'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import type { Construct } from 'constructs'
import {
  APP_COMMANDS,
  type AppRole,
  type AppRuntimeProps,
  appEnvironment,
  appSecrets,
  WEB_PORT,
} from '../app_environment.js'
import type { NgipConfig } from '../config.js'
import { AppTask } from '../constructs/app_task.js'
import { BackgroundService } from '../constructs/background_service.js'
import { logSettings } from '../constructs/log_group.js'
import { allowIngress } from '../constructs/ingress.js'
import type { PostgresDatabase } from '../constructs/postgres_database.js'
import type { RedisCluster } from '../constructs/redis_cluster.js'
import { SecureBucket } from '../constructs/secure_bucket.js'
import { WebService } from '../constructs/web_service.js'
import { PING_QUEUE_METRIC, pingQueueDepth } from '../metrics.js'
import { importZone } from '../zone.js'

export interface AppStackProps extends StackProps {
  config: NgipConfig
  vpc: ec2.IVpc
  database: PostgresDatabase
  redis: RedisCluster
  appKey: AppRuntimeProps['appKey']
}

/**
 * The ECS cluster running the one app image in three services (web behind
 * the ALB, worker, scheduler) plus a one-off migrations task definition.
 */
export class AppStack extends Stack {
  readonly web: WebService
  private readonly props: AppStackProps
  private readonly image: ecs.ContainerImage

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props)
    this.props = props
    const { config } = props
    const repository = ecr.Repository.fromRepositoryName(
      this,
      'Repository',
      config.account.repositoryName
    )
    this.image = ecs.ContainerImage.fromEcrRepository(repository, config.imageTag)
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    })
    this.web = this.webService(cluster)
    const worker = this.background(cluster, 'worker')
    worker.scaleOnQueueDepth(pingQueueDepth(config.envName), config.worker)
    worker.allowMetricPublishing(PING_QUEUE_METRIC.namespace)
    const scheduler = this.background(cluster, 'scheduler')
    const clients = {
      Web: this.web.service.service,
      Worker: worker.service,
      Scheduler: scheduler.service,
    }
    for (const [name, service] of Object.entries(clients)) {
      this.allowData(service.connections.securityGroups[0], name)
    }
    this.migrations(cluster)
  }

  /** The one-off migrations task, run by the pipeline with RunTask. */
  private migrations(cluster: ecs.Cluster) {
    const migrate = this.task('migrate')
    const securityGroup = new ec2.SecurityGroup(this, 'MigrateSecurityGroup', {
      vpc: this.props.vpc,
      description: 'One-off migration tasks run by the pipeline',
    })
    this.allowData(securityGroup, 'Migrate')
    this.outputs(cluster, migrate, securityGroup)
  }

  private webService(cluster: ecs.ICluster) {
    const { config } = this.props
    const albLogs = new SecureBucket(this, 'AlbLogs', {
      retain: config.retainOnDelete,
      expireAfterDays: 90,
    })
    return new WebService(this, 'Web', {
      cluster,
      taskDefinition: this.task('web').taskDefinition,
      sizing: config.web,
      domainName: config.dns.appHost,
      zone: importZone(this, config.dns),
      accessLogs: albLogs.bucket,
      healthCheckPath: '/health/live',
      deletionProtection: config.retainOnDelete,
    })
  }

  private task(role: AppRole) {
    const { config, database, redis, appKey } = this.props
    const runtime: AppRuntimeProps = { config, database: database.instance, redis, appKey }
    const sizing = role === 'web' ? config.web : config.worker
    return new AppTask(this, `${role[0].toUpperCase()}${role.slice(1)}Task`, {
      family: `${config.prefix}-${role}`,
      image: this.image,
      command: [...APP_COMMANDS[role]],
      cpu: sizing.cpu,
      memoryMiB: sizing.memoryMiB,
      environment: appEnvironment(runtime),
      secrets: appSecrets(runtime),
      logs: logSettings(config),
      port: role === 'web' ? WEB_PORT : undefined,
    })
  }

  private background(cluster: ecs.ICluster, role: 'worker' | 'scheduler') {
    const name = role === 'worker' ? 'Worker' : 'Scheduler'
    return new BackgroundService(this, name, {
      cluster,
      taskDefinition: this.task(role).taskDefinition,
      desiredCount: role === 'worker' ? this.props.config.worker.minTasks : 1,
      singleton: role === 'scheduler',
    })
  }

  private allowData(source: ec2.ISecurityGroup, name: string) {
    const { database, redis } = this.props
    allowIngress(this, `${name}ToDatabase`, {
      target: database.securityGroup,
      source,
      port: Token.asNumber(database.instance.dbInstanceEndpointPort),
      description: `${name} to PostgreSQL`,
    })
    allowIngress(this, `${name}ToRedis`, {
      target: redis.securityGroup,
      source,
      port: Token.asNumber(redis.port),
      description: `${name} to Redis`,
    })
  }

  private outputs(cluster: ecs.Cluster, migrate: AppTask, migrateSg: ec2.SecurityGroup) {
    const subnets = this.props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS })
    new CfnOutput(this, 'AppUrl', { value: `https://${this.props.config.dns.appHost}` })
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName })
    new CfnOutput(this, 'MigrateTaskDefinitionArn', {
      value: migrate.taskDefinition.taskDefinitionArn,
    })
    new CfnOutput(this, 'MigrateSecurityGroupId', { value: migrateSg.securityGroupId })
    new CfnOutput(this, 'PrivateSubnetIds', { value: Fn.join(',', subnets.subnetIds) })
  }
}
