import type { Redis } from 'ioredis'
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

/** A flat [field, value, …] reply of XINFO as an object */
function fields(flat: unknown[]): Record<string, unknown> {
  const info: Record<string, unknown> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) {
    info[String(flat[i])] = flat[i + 1]
  }
  return info
}

/** The ingest group's XINFO fields; null before a worker made it */
export async function ingestGroup(client: Redis) {
  let groups: unknown[][]
  try {
    groups = (await client.xinfo('GROUPS', redisKeys.pings)) as unknown[][]
  } catch (error) {
    if (String(error).includes('no such key')) {
      return 'no stream' as const
    }
    throw error
  }
  return groups.map(fields).find((info) => info.name === redisKeys.ingestGroup) ?? null
}

/**
 * Entries not yet stored: those no worker has read (the ingest group's lag)
 * plus those read and not yet acknowledged (pending). Not XLEN: entries
 * acknowledged after a dead worker's were claimed stay in the stream until
 * a later trim, with nothing left to do. Computed on each call, so it falls
 * as soon as a worker stores the backlog, without new pings.
 */
export async function pingQueueDepth(client: Redis = redis.connection('main').ioConnection) {
  return queueDepthOf(client, await ingestGroup(client))
}

/** pingQueueDepth from a group already read (ingestGroup's answer) */
export async function queueDepthOf(client: Redis, group: Awaited<ReturnType<typeof ingestGroup>>) {
  if (group === 'no stream') {
    return 0
  }
  // No worker yet: every entry.
  if (!group) {
    return client.xlen(redisKeys.pings)
  }
  const pending = Number(group.pending ?? 0)
  if (group.lag !== null && group.lag !== undefined) {
    return Number(group.lag) + pending
  }
  // A lag Redis cannot tell (after some trims): nothing past the last delivered
  // entry means nothing unread; else the stream's length stands for it.
  const [next] = await client.xrange(
    redisKeys.pings,
    `(${String(group['last-delivered-id'] ?? '0-0')}`,
    '+',
    'COUNT',
    1
  )
  return next ? Math.max(pending, await client.xlen(redisKeys.pings)) : pending
}
