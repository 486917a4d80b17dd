import * as ecr from 'aws-cdk-lib/aws-ecr'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import type * as rds from 'aws-cdk-lib/aws-rds'
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import type { NgipConfig } from './config.js'
import { AppTask } from './constructs/app_task.js'
import { logSettings } from './constructs/log_group.js'
import { PING_QUEUE_METRIC } from './metrics.js'

export interface AppRuntimeProps {
  config: NgipConfig
  database: rds.DatabaseInstance
  redis: { host: string; port: string; authToken: secretsmanager.ISecret }
  appKey: secretsmanager.ISecret
  /**
   * Where the load balancer's nodes connect from (its subnets' CIDR blocks):
   * the app believes X-Forwarded-For from there only (TRUSTED_PROXIES).
   */
  trustedProxies?: string[]
}

export const WEB_PORT = 3333
/** The port the smtpd role listens on in its container (the image's SMTPD_PORT). */
export const SMTPD_PORT = 2525

/** The commands the one app image accepts, one per role. */
export const APP_COMMANDS = {
  web: ['node', 'bin/server.js'],
  worker: ['node', 'ace.js', 'worker:run'],
  scheduler: ['node', 'ace.js', 'scheduler:run'],
  migrate: ['node', 'ace.js', 'migration:run', '--force'],
  /** First admin and the smoke tests' API key; the jobs stack adds the secrets' ARNs. */
  setup: ['node', 'ace.js', 'ngip:setup', '--provision'],
  /** Email pings: Redis only, as the edge (ping/smtpd/main.ts). */
  smtpd: ['node', '--max-semi-space-size=1', '--single-threaded', 'ping/smtpd/main.js'],
} as const

export type AppRole = keyof typeof APP_COMMANDS

/**
 * Plain environment shared by web, worker, scheduler and migrations; the
 * names are the ones the app declares in start/env.ts.
 */
export function appEnvironment(props: AppRuntimeProps): Record<string, string> {
  const { config, database, redis } = props
  return {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: String(WEB_PORT),
    APP_URL: `https://${config.dns.appHost}`,
    PING_URL: `https://${config.dns.pingHost}`,
    // Mail to <uuid>@ping.<domain>: its MX points at the smtpd role's load balancer.
    PING_EMAIL_DOMAIN: config.dns.pingHost,
    DB_HOST: database.dbInstanceEndpointAddress,
    DB_PORT: database.dbInstanceEndpointPort,
    DB_DATABASE: 'ngip',
    DB_SSL: 'true',
    REDIS_HOST: redis.host,
    REDIS_PORT: redis.port,
    REDIS_TLS: 'true',
    SESSION_DRIVER: 'redis',
    LIMITER_STORE: 'redis',
    QUEUE_DRIVER: 'redis',
    PING_BODY_LIMIT: String(config.ping.bodyLimit),
    PING_RATE_LIMIT: String(config.ping.rateLimit),
    METRICS_NAMESPACE: PING_QUEUE_METRIC.namespace,
    METRICS_ENVIRONMENT: config.envName,
    ...(props.trustedProxies?.length ? { TRUSTED_PROXIES: props.trustedProxies.join(',') } : {}),
  }
}

/**
 * Secrets injected by ECS from Secrets Manager when a task starts.
 */
export function appSecrets(props: AppRuntimeProps): Record<string, ecs.Secret> {
  const dbSecret = props.database.secret
  if (!dbSecret) {
    throw new Error('The database has no generated secret')
  }
  return {
    DB_USER: ecs.Secret.fromSecretsManager(dbSecret, 'username'),
    DB_PASSWORD: ecs.Secret.fromSecretsManager(dbSecret, 'password'),
    REDIS_PASSWORD: ecs.Secret.fromSecretsManager(props.redis.authToken),
    APP_KEY: ecs.Secret.fromSecretsManager(props.appKey),
  }
}

export interface RoleTaskProps extends AppRuntimeProps {
  image: ecs.ContainerImage
  /** Arguments after the role's command. */
  args?: string[]
}

/**
 * The task definition of one role of the app image (family
 * `<prefix>-<role>`), with the shared environment, secrets and logs.
 */
export function roleTask(scope: Construct, role: AppRole, props: RoleTaskProps): AppTask {
  const { config } = props
  const sizing = role === 'web' ? config.web : config.worker
  return new AppTask(scope, `${role[0].toUpperCase()}${role.slice(1)}Task`, {
    family: `${config.prefix}-${role}`,
    image: props.image,
    command: [...APP_COMMANDS[role], ...(props.args ?? [])],
    cpu: sizing.cpu,
    memoryMiB: sizing.memoryMiB,
    environment: appEnvironment(props),
    secrets: appSecrets(props),
    logs: logSettings(config),
    port: role === 'web' ? WEB_PORT : role === 'smtpd' ? SMTPD_PORT : undefined,
  })
}

/** The app image of this release, from the account's ECR repository. */
export function releaseImage(scope: Construct, config: NgipConfig): ecs.ContainerImage {
  const repository = ecr.Repository.fromRepositoryName(
    scope,
    'Repository',
    config.account.repositoryName
  )
  return ecs.ContainerImage.fromEcrRepository(repository, config.imageTag)
}
