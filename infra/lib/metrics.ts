import { Duration } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import type { EnvName } from './config.js'

/**
 * The custom metric the worker publishes: entries waiting in the pings stream.
 * Contract with the worker: namespace `ngip`, name `PingQueueDepth`,
 * one dimension `Environment` (METRICS_NAMESPACE / METRICS_ENVIRONMENT).
 */
export const PING_QUEUE_METRIC = { namespace: 'ngip', metricName: 'PingQueueDepth' } as const

export function pingQueueDepth(env: EnvName): cloudwatch.Metric {
  return new cloudwatch.Metric({
    ...PING_QUEUE_METRIC,
    dimensionsMap: { Environment: env },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(1),
  })
}
