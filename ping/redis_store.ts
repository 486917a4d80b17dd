import { Redis } from 'ioredis'
import { redisKeys } from '#lib/redis_keys'
import { encodePingMessage, type PingMessage } from '#lib/ping_message'
import type { PingStore } from './core.js'
import type { EdgeConfig } from './config.js'

/**
 * Membership check and enqueue in one round trip, atomically: a Token deleted
 * a moment ago is never enqueued, and PostgreSQL is never asked.
 */
const ACCEPT_SCRIPT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return false end
return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
`

type AcceptCommand = (
  tokens: string,
  stream: string,
  ...args: (string | Buffer)[]
) => Promise<string | null>

export class RedisPingStore implements PingStore {
  readonly redis: Redis & { ngipAccept: AcceptCommand }

  constructor(config: EdgeConfig['redis']) {
    this.redis = new Redis({
      host: config.host,
      port: config.port,
      password: config.password,
      db: config.db,
      tls: config.tls ? {} : undefined,
      /**
       * Fail at once while disconnected so the client gets a 503 and retries,
       * instead of a request that hangs until Redis is back.
       */
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(times * 50, 500),
    }) as RedisPingStore['redis']
    this.redis.on('error', () => {})
    this.redis.defineCommand('ngipAccept', { numberOfKeys: 2, lua: ACCEPT_SCRIPT })
  }

  async accept(message: PingMessage) {
    const id = await this.redis.ngipAccept(
      redisKeys.tokens,
      redisKeys.pings,
      message.token,
      ...encodePingMessage(message)
    )
    return id ? ('accepted' as const) : ('unknown' as const)
  }

  /**
   * Resolves once connected, or after `timeoutMs` (the edge then answers 503
   * until Redis is reachable).
   */
  async ready(timeoutMs = 2000) {
    if (this.redis.status === 'ready') {
      return true
    }
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      this.redis.once('ready', () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  async isHealthy() {
    return (await this.redis.ping()) === 'PONG'
  }

  async close() {
    this.redis.disconnect()
  }
}
