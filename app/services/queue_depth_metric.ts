import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'

/**
 * A CloudWatch Embedded Metric Format line: printed to stdout by the worker,
 * the ECS log driver turns it into the `PingQueueDepth` metric that scales
 * workers and raises the queue alarm (see infra/lib/metrics.ts). No AWS SDK
 * call, no credentials.
 */
export function emfLine(depth: number, namespace: string, environment: string, at = new Date()) {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [['Environment']],
          Metrics: [{ Name: 'PingQueueDepth', Unit: 'Count' }],
        },
      ],
    },
    Environment: environment,
    PingQueueDepth: depth,
  })
}

/**
 * Entries in the ping stream: accepted and not yet stored (stored ones are
 * deleted from the stream when acknowledged).
 */
export async function pingQueueDepth() {
  return redis.xlen(redisKeys.pings)
}
