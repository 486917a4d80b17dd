import { CfnOutput, Stack, type StackProps, Token } from 'aws-cdk-lib'
import type * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import type { Construct } from 'constructs'
import {
  type AppRole,
  type AppRuntimeProps,
  releaseImage,
  roleTask,
  SMTPD_PORT,
} from '../app_environment.js'
import type { NgipConfig } from '../config.js'
import { BackgroundService } from '../constructs/background_service.js'
import { allowIngress } from '../constructs/ingress.js'
import type { PostgresDatabase } from '../constructs/postgres_database.js'
import type { RedisCluster } from '../constructs/redis_cluster.js'
import { SecureBucket } from '../constructs/secure_bucket.js'
import { SmtpService } from '../constructs/smtp_service.js'
import { WebService } from '../constructs/web_service.js'
import { PING_QUEUE_METRIC, pingQueueDepth } from '../metrics.js'
import { importZone } from '../zone.js'

/** PostgreSQL and Redis admit `source` (rules made in the consumer's stack). */
export function allowData(
  scope: Construct,
  name: string,
  source: ec2.ISecurityGroup,
  data: { database: PostgresDatabase; redis: RedisCluster }
) {
  allowIngress(scope, `${name}ToDatabase`, {
    target: data.database.securityGroup,
    source,
    port: Token.asNumber(data.database.instance.dbInstanceEndpointPort),
    description: `${name} to PostgreSQL`,
  })
  allowIngress(scope, `${name}ToRedis`, {
    target: data.redis.securityGroup,
    source,
    port: Token.asNumber(data.redis.port),
    description: `${name} to Redis`,
  })
}

export interface AppStackProps extends StackProps {
  config: NgipConfig
  vpc: ec2.IVpc
  database: PostgresDatabase
  redis: RedisCluster
  appKey: AppRuntimeProps['appKey']
}

/**
 * The ECS cluster running the one app image in four services (web behind
 * the ALB, worker, scheduler, smtpd behind an NLB on port 25). The one-off tasks (migrations, first setup)
 * live in the jobs stack, so the pipeline can run them before this one rolls.
 */
export class AppStack extends Stack {
  readonly web: WebService
  readonly smtp: SmtpService
  private readonly props: AppStackProps
  private readonly logs: SecureBucket
  private readonly image: ecs.ContainerImage

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props)
    this.props = props
    const { config } = props
    this.image = releaseImage(this, config)
    this.logs = new SecureBucket(this, 'AlbLogs', {
      retain: config.retainOnDelete,
      expireAfterDays: 90,
    })
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
      Web: this.web.service,
      Worker: worker.service,
      Scheduler: scheduler.service,
    }
    for (const [name, service] of Object.entries(clients)) {
      allowData(this, name, service.connections.securityGroups[0], props)
    }
    this.smtp = this.smtpService(cluster)
    // Like the edge, the smtpd reaches Redis only, never PostgreSQL.
    allowIngress(this, 'SmtpdToRedis', {
      target: props.redis.securityGroup,
      source: this.smtp.service.connections.securityGroups[0],
      port: Token.asNumber(props.redis.port),
      description: 'Smtpd to Redis',
    })
    new CfnOutput(this, 'AppUrl', { value: `https://${config.dns.appHost}` })
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName })
  }

  private smtpService(cluster: ecs.ICluster) {
    const { config } = this.props
    return new SmtpService(this, 'Smtp', {
      cluster,
      taskDefinition: this.task('smtpd').taskDefinition,
      containerPort: SMTPD_PORT,
      desiredCount: config.worker.minTasks,
      accessLogs: this.logs.bucket,
      deletionProtection: config.retainOnDelete,
    })
  }

  private webService(cluster: ecs.ICluster) {
    const { config } = this.props
    return new WebService(this, 'Web', {
      cluster,
      taskDefinition: this.task('web').taskDefinition,
      sizing: config.web,
      domainName: config.dns.appHost,
      zone: importZone(this, config.dns),
      accessLogs: this.logs.bucket,
      healthCheckPath: '/health/live',
      deletionProtection: config.retainOnDelete,
    })
  }

  private task(role: AppRole) {
    const { config, database, redis, appKey, vpc } = this.props
    // The ALB's nodes live in the public subnets: only they may say who the web's client is.
    const trustedProxies =
      role === 'web' ? vpc.publicSubnets.map((subnet) => subnet.ipv4CidrBlock) : undefined
    const runtime: AppRuntimeProps = {
      config,
      database: database.instance,
      redis,
      appKey,
      trustedProxies,
    }
    return roleTask(this, role, { ...runtime, image: this.image })
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
}
