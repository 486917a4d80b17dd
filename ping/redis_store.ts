import { redisKeys, slugField } from '#lib/redis_keys'
import { packPing, type PingMessage } from '#lib/ping_message'
import type { PingTarget } from '#lib/ping_url'
import { autoTokenUuid } from '#lib/uuid'
import type { AcceptOptions, AcceptResult, PingStore } from './core.js'
import {
  DEFAULT_REDIS_BUSY_TIMEOUT_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  type EdgeConfig,
} from './config.js'
import { fingerprint, LatePings } from './late_pings.js'
import {
  Outage,
  RedisLate,
  RedisUnavailable,
  type EdgeRedis,
  type RedisClientKind,
} from './redis_connection.js'
import { ACCEPT_KEYS, ACCEPT_SCRIPT } from './accept_script.js'

/** Whether a target is a Token of the Token set: 1 or 0. KEYS: tokens, slugs; ARGV: UUID or "", slug field */
const KNOWS_SCRIPT = `
if ARGV[1] ~= '' then return redis.call('SISMEMBER', KEYS[1], ARGV[1]) end
return redis.call('HEXISTS', KEYS[2], ARGV[2])
`

const RESULTS: AcceptResult[] = ['unknown', 'accepted', 'limited', 'created']

/** Pings sent in one script call at most (one stream entry); a flush sends several calls. */
const MAX_BATCH = 64

/**
 * Flushes sent and not yet answered at most. With one, the edge sat idle while
 * Redis ran a flush's script and the pings behind it waited for the answer;
 * with two, the next flush is on its way meanwhile (+10-14 % stored/s in the
 * whole-platform bench, bench/RESULTS.md), and a slow Redis still gets fewer,
 * bigger writes.
 */
const FLUSHES_IN_FLIGHT = 2

/** A queued ping's retry key, made once (on its arrival while pings were late, or now) */
function keyOf(entry: Queued) {
  entry.key ??= fingerprint(entry.target, entry.message)
  return entry.key
}

/** Pings queued that end a linger at once: company enough for one flush */
const LINGER_ENOUGH = 16

interface Queued {
  target: PingTarget
  message: Omit<PingMessage, 'token'>
  /** What tells its retry from another ping (`fingerprint`), once it was needed */
  key?: string
  args: (string | number | Buffer)[]
  /** When it arrived (performance.now()): its timeout counts from then */
  at: number
  resolve: (result: AcceptResult) => void
  reject: (error: Error) => void
}

export class RedisPingStore implements PingStore {
  /** Says when Redis goes away and comes back (set its `log`) */
  readonly outage: Outage
  readonly connection: Promise<EdgeRedis>
  /** The connection, once its module is loaded (a turn after the constructor) */
  #client: EdgeRedis | null = null
  #queued: Queued[] = []
  /** Flushes sent and not yet wholly answered (FLUSHES_IN_FLIGHT at most) */
  #inFlight = 0
  /** The next flush: on the next turn, or a timer while it lingers */
  #scheduled: 'turn' | NodeJS.Timeout | null = null
  #lastFlushAt = -Infinity
  /** Pings answered 503 while Redis may still store them: their retries are not stored twice */
  readonly late: LatePings
  /**
   * How long after the last flush the next one waits for company (ms; 0:
   * never), unless LINGER_ENOUGH pings are queued. A ping on an idle edge
   * goes at once, and so do many pings at once; pings that come one a
   * connection, each in its own event-loop turn, share a call and a stream
   * entry instead of one each.
   */
  lingerMs = 0

  /**
   * `client` picks the Redis client; only the chosen one's module is loaded
   * (ioredis alone weighs a few MB of the edge's memory).
   */
  constructor(
    config: EdgeConfig['redis'],
    timeoutMs = DEFAULT_REDIS_TIMEOUT_MS,
    client: RedisClientKind = 'builtin',
    busyTimeoutMs = DEFAULT_REDIS_BUSY_TIMEOUT_MS
  ) {
    this.outage = new Outage(config.host, config.port)
    this.late = new LatePings(timeoutMs)
    const options = { ...config, timeoutMs, busyTimeoutMs }
    this.connection =
      client === 'ioredis'
        ? import('./ioredis_connection.js').then(
            (m) => new m.IoredisConnection(options, this.outage)
          )
        : import('./redis_client.js').then((m) => new m.RedisClient(options, this.outage))
    void this.connection.then((connection) => (this.#client = connection))
  }

  /**
   * Queues the ping for the next flush (group commit): on an idle edge at the
   * end of this event-loop turn; while two flushes await Redis, as soon as one
   * is answered. Under load many requests share one round trip and one stream
   * entry, and Redis sees fewer, bigger writes the slower it answers.
   */
  accept(
    target: PingTarget,
    message: Omit<PingMessage, 'token'>,
    options: AcceptOptions
  ): Promise<AcceptResult> {
    if (this.late.size > 0) {
      const key = fingerprint(target, message)
      const retry = this.late.retryOf(key)
      if (retry !== 'write') {
        return Promise.resolve(retry).then((then) =>
          then === 'stored' ? 'stored_before' : this.#enqueue(target, message, options, key)
        )
      }
      return this.#enqueue(target, message, options, key)
    }
    return this.#enqueue(target, message, options)
  }

  #enqueue(
    target: PingTarget,
    message: Omit<PingMessage, 'token'>,
    options: AcceptOptions,
    key?: string
  ) {
    const slug = target.kind === 'slug'
    const args = [
      slug ? '' : target.uuid,
      slug ? slugField(target.pingKey, target.slug) : '',
      slug && message.create ? autoTokenUuid(target.pingKey, target.slug) : '',
      slug ? target.pingKey : '',
      options.rateLimit,
      packPing(message),
      message.body && message.body.length > 0 ? message.body : '',
    ]
    return new Promise<AcceptResult>((resolve, reject) => {
      this.#queued.push({ target, message, key, args, at: performance.now(), resolve, reject })
      this.#scheduleFlush()
    })
  }

  /**
   * On the next setImmediate, so that the requests of this turn join; or,
   * lingering, once `lingerMs` passed since the last flush.
   */
  #scheduleFlush() {
    if (
      this.#inFlight >= FLUSHES_IN_FLIGHT ||
      this.#queued.length === 0 ||
      this.#scheduled === 'turn'
    ) {
      return
    }
    const wait = this.#lastFlushAt + this.lingerMs - performance.now()
    if (wait > 0 && this.#queued.length < LINGER_ENOUGH) {
      this.#scheduled ??= setTimeout(() => this.#flush(), wait)
      return
    }
    if (this.#scheduled) {
      clearTimeout(this.#scheduled)
    }
    this.#scheduled = 'turn'
    setImmediate(() => this.#flush())
  }

  #flush() {
    this.#scheduled = null
    this.#lastFlushAt = performance.now()
    const queued = this.#queued.splice(0)
    if (queued.length === 0) {
      return
    }
    if (!this.#client) {
      const error = new RedisUnavailable('redis connecting')
      return queued.forEach((entry) => entry.reject(error))
    }
    const batches: Queued[][] = []
    for (let start = 0; start < queued.length; start += MAX_BATCH) {
      batches.push(queued.slice(start, start + MAX_BATCH))
    }
    const argsList = batches.map((batch) => [
      redisKeys.ratePrefix,
      ...batch.flatMap((entry) => entry.args),
    ])
    const replies = this.#client.evalScripts(
      ACCEPT_SCRIPT,
      ACCEPT_KEYS,
      argsList,
      batches.map((batch) => batch[0].at),
      batches.map((batch) => (reply) => this.#heardLate(batch, reply))
    )
    this.#inFlight += 1
    let unanswered = batches.length
    const answered = () => {
      if (--unanswered === 0) {
        this.#answered()
      }
    }
    batches.forEach((batch, i) =>
      replies[i].then(
        (reply) => {
          this.#settle(batch, reply)
          answered()
        },
        (error: Error) => {
          this.#fail(batch, error)
          answered()
        }
      )
    )
  }

  #settle(batch: Queued[], reply: unknown) {
    if (Array.isArray(reply)) {
      batch.forEach((entry, i) => entry.resolve(RESULTS[reply[i] as number] ?? 'unknown'))
    } else {
      const error = reply instanceof Error ? reply : new Error('unexpected script reply')
      batch.forEach((entry) => entry.reject(error))
    }
  }

  /**
   * Only the call's own pings fail: the pings queued behind it go as the
   * next group, their wait counted from their arrival (a ping is answered
   * 503 once it waited the timeout on a silent Redis, not twice that; a Redis
   * that was only slow answers them). While disconnected, that group fails
   * at once. Pings that failed on their timeout after their write was sent
   * are remembered in `late`: Redis may store them all the same.
   */
  #fail(batch: Queued[], error: Error) {
    // Only a write that was sent fails so (the builtin client's timeouts), and its late answer comes.
    const mayRun = error instanceof RedisLate
    for (const entry of batch) {
      if (mayRun) {
        this.late.answered503(keyOf(entry))
      }
      entry.reject(error)
    }
  }

  /**
   * A flush that failed on its timeout (its pings answered 503) was answered
   * by Redis after all, or its connection was lost first.
   */
  #heardLate(batch: Queued[], reply: unknown) {
    batch.forEach((entry, i) => {
      const result = Array.isArray(reply) ? RESULTS[reply[i] as number] : undefined
      this.late.heard(keyOf(entry), result === 'accepted' || result === 'created')
    })
  }

  #answered() {
    this.#inFlight -= 1
    this.#scheduleFlush()
  }

  /**
   * Resolves once connected, or after `timeoutMs` (the edge then answers 503
   * until Redis is reachable). Only the first connection is worth waiting
   * for: later outages must answer 503 at once.
   */
  async ready(timeoutMs = 2000) {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const connected = this.connection.then((connection) => connection.whenReady()).then(() => true)
    const result = await Promise.race([connected, timeout])
    clearTimeout(timer)
    return result
  }

  /**
   * Whether the target is in the Token set now (the SMTP listener asks at
   * RCPT time); throws when Redis is unreachable. `accept` checks again.
   */
  async knows(target: PingTarget): Promise<boolean> {
    if (!this.#client) {
      throw new RedisUnavailable('redis connecting')
    }
    const args =
      target.kind === 'uuid' ? [target.uuid, ''] : ['', slugField(target.pingKey, target.slug)]
    const reply = await this.#client.evalScript(
      KNOWS_SCRIPT,
      [redisKeys.tokens, redisKeys.slugs],
      args
    )
    if (reply instanceof Error) {
      throw reply
    }
    return reply === 1
  }

  async isHealthy() {
    return (await this.#client?.ping()) === 'PONG'
  }

  async close() {
    const connection = await this.connection
    connection.close()
  }
}
