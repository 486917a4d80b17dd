import type { Redis } from 'ioredis'
import { redisKeys } from '#lib/redis_keys'
import { ingestGroup, queueDepthOf } from '#services/operations/queue_depth_metric'

export interface IngestLag {
  /** Pings accepted and not stored yet: never delivered to a worker, or delivered and not acknowledged */
  lag: number
  /** Age in seconds of the oldest of them; null when there is none */
  oldest_s: number | null
}

/** The milliseconds of a stream entry id ("<ms>-<seq>"). */
function idTime(id: string) {
  return Number(id.split('-')[0])
}

/** Seconds from `ms` to `now`, to a tenth. */
function age(ms: number, now: number) {
  return Math.max(0, Math.round((now - ms) / 100) / 10)
}

/**
 * How far ingest is behind: the entries not stored (pingQueueDepth's count, from one read
 * of the group) and the age of the oldest among them (the oldest pending entry, or the
 * first one past what was delivered; the stream's first while no worker made the group).
 */
export async function ingestLag(redis: Redis, now = Date.now()): Promise<IngestLag> {
  const group = await ingestGroup(redis)
  const lag = await queueDepthOf(redis, group)
  if (lag === 0) {
    return { lag, oldest_s: null }
  }
  const stream = redisKeys.pings
  if (group === null || group === 'no stream') {
    const [first] = await redis.xrange(stream, '-', '+', 'COUNT', 1)
    return { lag, oldest_s: first ? age(idTime(first[0]), now) : null }
  }
  const pending = Number(group.pending ?? 0)
  const lastDelivered = String(group['last-delivered-id'] ?? '0-0')
  const [next] = await redis.xrange(stream, `(${lastDelivered}`, '+', 'COUNT', 1)
  const oldestPending =
    pending > 0 ? ((await redis.xpending(stream, redisKeys.ingestGroup)) as unknown[])[1] : null
  const times = [oldestPending, next?.[0]]
    .filter((id): id is string => typeof id === 'string')
    .map(idTime)
  return { lag, oldest_s: times.length > 0 ? age(Math.min(...times), now) : null }
}
