import type { Redis } from 'ioredis'
import { redisKeys } from '#lib/redis_keys'

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

function field(info: unknown[], name: string) {
  const index = info.indexOf(name)
  return index < 0 ? undefined : info[index + 1]
}

/**
 * How far ingest is behind: the ingest group's lag plus its pending entries
 * (all of the stream while no worker has made the group yet), and the age of
 * the oldest ping among them (the oldest pending entry, or the first one past
 * what was delivered).
 */
export async function ingestLag(redis: Redis, now = Date.now()): Promise<IngestLag> {
  const stream = redisKeys.pings
  const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][]
  const group = groups.find((info) => field(info, 'name') === redisKeys.ingestGroup)
  if (!group) {
    const [first] = await redis.xrange(stream, '-', '+', 'COUNT', 1)
    const lag = first ? await redis.xlen(stream) : 0
    return { lag, oldest_s: first ? age(idTime(first[0]), now) : null }
  }
  const pending = Number(field(group, 'pending') ?? 0)
  const lastDelivered = String(field(group, 'last-delivered-id') ?? '0-0')
  const [next] = await redis.xrange(stream, `(${lastDelivered}`, '+', 'COUNT', 1)
  const reported = field(group, 'lag')
  // Redis leaves the lag unknown (nil) after some trims: the stream's length
  // is then the count (it holds little more than what is not stored).
  const undelivered =
    typeof reported === 'number' ? reported : next ? (await redis.xlen(stream)) - pending : 0
  const oldestPending =
    pending > 0 ? ((await redis.xpending(stream, redisKeys.ingestGroup)) as unknown[])[1] : null
  const times = [oldestPending, next?.[0]]
    .filter((id): id is string => typeof id === 'string')
    .map(idTime)
  const oldest = times.length > 0 ? Math.min(...times) : null
  return {
    lag: undelivered + pending,
    oldest_s: oldest === null ? null : age(oldest, now),
  }
}
