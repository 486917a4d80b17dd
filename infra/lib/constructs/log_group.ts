import { RemovalPolicy } from 'aws-cdk-lib'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'

/** How long logs live, and whether they outlive their stack. */
export interface LogSettings {
  retention: logs.RetentionDays
  retain: boolean
}

export interface LogGroupProps extends LogSettings {
  logGroupName?: string
}

export function logSettings(config: {
  logRetention: logs.RetentionDays
  retainOnDelete: boolean
}): LogSettings {
  return { retention: config.logRetention, retain: config.retainOnDelete }
}

/**
 * A log group with a retention; production keeps it when its stack goes.
 */
export function createLogGroup(scope: Construct, id: string, props: LogGroupProps): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: props.logGroupName,
    retention: props.retention,
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  })
}
