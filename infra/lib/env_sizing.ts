import { LambdaDeploymentConfig, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'

export interface ServiceSizing {
  cpu: number
  memoryMiB: number
  minTasks: number
  maxTasks: number
}

/** The web role also switches colours on deploy. */
export interface WebSizing extends ServiceSizing {
  /**
   * Minutes both colours run after production traffic moved to green, its
   * rollback alarms watched, before blue is stopped.
   */
  bakeMinutes: number
}

/**
 * Sizes and availability choices that differ between stage and prod.
 */
export interface EnvSizing {
  /** Keep buckets and their logs when a stack is deleted. */
  retainOnDelete: boolean
  logRetention: RetentionDays
  natGateways: number
  database: {
    instanceType: string
    allocatedStorageGiB: number
    maxAllocatedStorageGiB: number
    backupRetentionDays: number
    /** Multi-AZ, deletion protection, snapshot on removal, termination protection. */
    highlyAvailable: boolean
  }
  redis: {
    nodeType: string
    /** Multi-AZ with a replica and automatic failover. */
    highlyAvailable: boolean
  }
  web: WebSizing
  worker: ServiceSizing
  ping: {
    memoryMiB: number
    bodyLimit: number
    rateLimit: number
    throttleRatePerSecond: number
    throttleBurst: number
    /** How CodeDeploy moves the `live` alias to a new version. */
    trafficShift: ILambdaDeploymentConfig
  }
}

export const ENV_SIZING: Record<'stage' | 'prod', EnvSizing> = {
  stage: {
    retainOnDelete: false,
    logRetention: RetentionDays.TWO_WEEKS,
    natGateways: 1,
    database: {
      instanceType: 't4g.micro',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      backupRetentionDays: 1,
      highlyAvailable: false,
    },
    redis: { nodeType: 'cache.t4g.micro', highlyAvailable: false },
    // Stage switches colours like prod, so every stage deploy rehearses the
    // mechanism; a short bake keeps stage-test close behind the deploy.
    web: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2, bakeMinutes: 2 },
    worker: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2 },
    ping: {
      memoryMiB: 256,
      bodyLimit: 10_000,
      rateLimit: 0,
      throttleRatePerSecond: 50,
      throttleBurst: 100,
      // stage-test must reach the new version with every ping it sends.
      trafficShift: LambdaDeploymentConfig.ALL_AT_ONCE,
    },
  },
  prod: {
    retainOnDelete: true,
    logRetention: RetentionDays.THREE_MONTHS,
    natGateways: 2,
    database: {
      instanceType: 't4g.medium',
      allocatedStorageGiB: 50,
      maxAllocatedStorageGiB: 500,
      backupRetentionDays: 14,
      highlyAvailable: true,
    },
    redis: { nodeType: 'cache.t4g.small', highlyAvailable: true },
    web: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 6, bakeMinutes: 10 },
    worker: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 10 },
    ping: {
      memoryMiB: 512,
      bodyLimit: 10_000,
      rateLimit: 0,
      throttleRatePerSecond: 1000,
      throttleBurst: 2000,
      // Each step puts more pings on the new version while its errors alarm is watched.
      trafficShift: LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
    },
  },
}
