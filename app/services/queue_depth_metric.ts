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

/**
 * Entries not yet stored: those no worker has read (the ingest group's lag)
 * plus those read and not yet acknowledged (pending). Not XLEN: entries
 * acknowledged after a dead worker's were claimed stay in the stream until
 * a later trim, with nothing left to do. Computed on each call, so it falls
 * as soon as a worker stores the backlog, without new pings.
 */
export async function pingQueueDepth(client: Redis = redis.connection('main').ioConnection) {
  let groups: unknown[][]
  try {
    groups = (await client.xinfo('GROUPS', redisKeys.pings)) as unknown[][]
  } catch (error) {
    if (String(error).includes('no such key')) {
      return 0
    }
    throw error
  }
  const group = groups.map(fields).find((info) => info.name === redisKeys.ingestGroup)
  // No worker yet, or a lag Redis cannot tell (an entry deleted mid-stream): every entry.
  if (!group || group.lag === null || group.lag === undefined) {
    return client.xlen(redisKeys.pings)
  }
  return Number(group.lag) + Number(group.pending)
}

/** The time part (ms) of a stream entry id such as "1700000000000-0" */
function entryMs(id: unknown) {
  return Number(String(id).split('-')[0])
}

/**
 * Age in seconds of the oldest ping entry not yet stored: the oldest pending
 * (read, not acknowledged) or the first one after what the ingest group was
 * given; 0 when there is none. Entry ids carry the time the edge added them.
 */
export async function ingestLagSeconds(
  client: Redis = redis.connection('main').ioConnection,
  now = Date.now()
) {
  let groups: unknown[][]
  try {
    groups = (await client.xinfo('GROUPS', redisKeys.pings)) as unknown[][]
  } catch (error) {
    if (String(error).includes('no such key')) {
      return 0
    }
    throw error
  }
  const group = groups.map(fields).find((info) => info.name === redisKeys.ingestGroup)
  const after = group ? `(${String(group['last-delivered-id'])}` : '-'
  const [unread, pending] = await Promise.all([
    client.xrange(redisKeys.pings, after, '+', 'COUNT', 1),
    group ? (client.xpending(redisKeys.pings, redisKeys.ingestGroup) as Promise<unknown[]>) : [0],
  ])
  const times: number[] = []
  if (unread.length > 0) {
    times.push(entryMs(unread[0][0]))
  }
  if (Number(pending[0]) > 0) {
    times.push(entryMs(pending[1]))
  }
  return times.length === 0 ? 0 : Math.max(0, (now - Math.min(...times)) / 1000)
}
