import type { PingMessage } from '#lib/ping_message'
import type { PingTarget } from '#lib/ping_url'
import { RedisUnavailable } from './redis_connection.js'

/**
 * How long a ping answered 503 on its timeout is remembered, so that the
 * client's retry is not stored twice when Redis ran the write after all: long
 * enough for `curl --retry` (its first retry comes 1 s later, each try at most
 * `-m` seconds), shorter than the shortest period (60 s), so that a job's next
 * regular ping, however alike, is never taken for a retry.
 */
export const LATE_MEMORY_MS = 30_000

/** Pings remembered so at most (the oldest go first): a bound on the edge's memory */
const LATE_MAX = 10_000

/** What tells a retry from another ping: everything the client sent, but not when. */
export function fingerprint(target: PingTarget, message: Omit<PingMessage, 'token'>) {
  const who = target.kind === 'slug' ? `${target.pingKey}/${target.slug}` : target.uuid
  return [
    who,
    message.action,
    message.exitStatus,
    message.rid,
    message.method,
    message.remoteAddr,
    message.userAgent,
    message.durationMs,
    message.snoozeMinutes,
    message.body?.toString('latin1'),
  ].join('\u0000')
}

interface LatePing {
  /** Until when a retry is taken for this ping's (performance.now()) */
  until: number
  /** Whether Redis stored it; null while its write is unanswered */
  stored: boolean | null
  /** Retries waiting to hear it */
  waiters: ((stored: boolean) => void)[]
}

/** What to do with a ping: it is the retry of one stored (answer OK), or write it. */
export type Retry = 'stored' | 'write'

/**
 * Pings the edge answered 503 after waiting its timeout at Redis, while their
 * write was sent: Redis may run it all the same (it was late, not down). Each
 * is remembered for LATE_MEMORY_MS, so that its retry is answered OK unstored
 * when Redis stored it, waits for Redis' answer while the write is still
 * unanswered, and is written when Redis refused or never answered it. Empty
 * unless Redis was late, so other pings cost a size check.
 */
export class LatePings {
  memoryMs = LATE_MEMORY_MS
  #pings = new Map<string, LatePing>()

  /**
   * `waitMs`: the longest a retry waits to hear of its twin before its own
   * 503 (PING_REDIS_TIMEOUT_MS: as long as a ping waits for a silent Redis)
   */
  constructor(readonly waitMs: number) {}

  get size() {
    return this.#pings.size
  }

  /** A ping answered 503 while its write was sent: Redis may still run it. */
  answered503(key: string) {
    this.#pings.delete(key)
    this.#pings.set(key, { until: performance.now() + this.memoryMs, stored: null, waiters: [] })
    for (const old of this.#pings.keys()) {
      if (this.#pings.size <= LATE_MAX) {
        break
      }
      this.#pings.delete(old)
    }
  }

  /** Redis answered the write after all: stored, or not (refused, or the connection lost). */
  heard(key: string, stored: boolean) {
    const late = this.#pings.get(key)
    if (!late || late.stored !== null) {
      return
    }
    late.stored = stored
    if (!stored) {
      this.#pings.delete(key)
    }
    for (const waiter of late.waiters.splice(0)) {
      waiter(stored)
    }
  }

  /**
   * Whether a ping is the retry of a ping stored late: once (a second ping
   * alike is a ping of its own). While its twin's write is unanswered, the
   * retry waits for it, up to `waitMs` (then it fails as Redis stalled).
   */
  retryOf(key: string): Retry | Promise<Retry> {
    const late = this.#live(key)
    if (!late) {
      return 'write'
    }
    if (late.stored) {
      this.#pings.delete(key)
      return 'stored'
    }
    return new Promise<Retry>((resolve, reject) => {
      const waiter = (stored: boolean) => {
        clearTimeout(timer)
        // Another retry may have been answered for it first.
        const mine = stored && this.#pings.get(key) === late
        if (mine) {
          this.#pings.delete(key)
        }
        resolve(mine ? 'stored' : 'write')
      }
      const timer = setTimeout(() => {
        late.waiters = late.waiters.filter((other) => other !== waiter)
        reject(new RedisUnavailable('redis stalled'))
      }, this.waitMs)
      late.waiters.push(waiter)
    })
  }

  /** The ping remembered under `key`, if its time is not out (forgets those whose time is). */
  #live(key: string) {
    const now = performance.now()
    for (const [old, late] of this.#pings) {
      if (late.until > now) {
        break
      }
      this.#pings.delete(old)
    }
    return this.#pings.get(key)
  }
}
