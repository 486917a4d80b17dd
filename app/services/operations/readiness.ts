import config from '@adonisjs/core/services/config'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { ingestLag, type IngestLag } from '#services/operations/ingest_lag'

export interface Readiness {
  /** ok: all good; degraded: serving, but pings wait too long to be stored; unavailable: a store is away */
  status: 'ok' | 'degraded' | 'unavailable'
  checks: { database: boolean; redis: boolean; ingest: IngestLag | null }
}

/** A check that does not answer within a second failed (Redis commands wait while it is away). */
function withinASecond<T>(check: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), 1000)
  })
  return Promise.race([check.catch(() => fallback), late]).finally(() => clearTimeout(timer))
}

/**
 * What /health/ready reports: PostgreSQL and Redis answer, and the oldest
 * ping not stored yet is younger than INGEST_LAG_DEGRADED_S (a stopped or
 * overwhelmed worker shows here, while the edge still accepts pings).
 */
export async function readiness(): Promise<Readiness> {
  const [database, redisUp] = await Promise.all([
    withinASecond(
      db.rawQuery('SELECT 1').then(() => true),
      false
    ),
    withinASecond(
      redis.ping().then((pong) => pong === 'PONG'),
      false
    ),
  ])
  const ingest = redisUp
    ? await withinASecond<IngestLag | null>(ingestLag(redis.connection('main').ioConnection), null)
    : null
  const limit = config.get<number>('ngip.ingest.lagDegradedS')
  const status =
    !database || !redisUp
      ? 'unavailable'
      : ingest?.oldest_s !== null && ingest?.oldest_s !== undefined && ingest.oldest_s > limit
        ? 'degraded'
        : 'ok'
  return { status, checks: { database, redis: redisUp, ingest } }
}
