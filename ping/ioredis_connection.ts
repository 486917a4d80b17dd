import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import {
  RedisUnavailable,
  type Outage,
  type EdgeRedis,
  type EdgeRedisOptions,
} from './redis_connection.js'

/**
 * The edge's Redis connection through ioredis (PING_REDIS_CLIENT=ioredis),
 * set up to behave as the edge needs: no offline queue (a command while
 * disconnected fails at once, the edge answers 503), a command timeout, no
 * retry of a command on reconnection, reconnection by itself. Each command
 * waits for its own timeout, whatever happened to the ones before it.
 */
export class IoredisConnection implements EdgeRedis {
  readonly redis: Redis
  #shas = new Map<string, string>()

  constructor(
    options: EdgeRedisOptions,
    readonly outage: Outage
  ) {
    this.redis = new Redis({
      host: options.host,
      port: options.port,
      password: options.password,
      db: options.db,
      tls: options.tls ? { servername: options.host } : undefined,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      commandTimeout: options.timeoutMs,
      enableOfflineQueue: false,
      // Ready only once Redis answers (INFO): a listener that accepts and
      // stalls must not count as ready, or every ping would wait for the timeout.
      enableReadyCheck: true,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempts) => Math.min(attempts * 50, 500),
    })
    this.redis.on('error', (error: Error) => this.outage.failed(error))
    this.redis.on('close', () => this.outage.down())
    this.redis.on('ready', () => this.outage.up())
  }

  whenReady(): Promise<void> {
    return this.redis.status === 'ready'
      ? Promise.resolve()
      : new Promise((resolve) => this.redis.once('ready', () => resolve()))
  }

  ping() {
    return this.#whileReady(() => this.redis.ping())
  }

  evalScript(script: string, keys: string[], args: (string | number | Buffer)[]) {
    let sha = this.#shas.get(script)
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex')
      this.#shas.set(script, sha)
    }
    return this.#whileReady(() =>
      this.redis.evalsha(sha, keys.length, ...keys, ...args).catch((error: Error) => {
        if (error.message.startsWith('NOSCRIPT')) {
          return this.redis.eval(script, keys.length, ...keys, ...args)
        }
        throw error
      })
    )
  }

  /** The calls written together: ioredis writes each to the socket, corked here. */
  evalScripts(script: string, keys: string[], argsList: (string | number | Buffer)[][]) {
    const stream = argsList.length > 1 && this.redis.status === 'ready' ? this.redis.stream : null
    stream?.cork()
    const replies = argsList.map((args) => this.evalScript(script, keys, args))
    stream?.uncork()
    return replies
  }

  close() {
    this.redis.disconnect()
  }

  /** While connecting, ioredis would still write the command: fail it at once instead. */
  #whileReady<T>(run: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') {
      return Promise.reject(new RedisUnavailable(`redis ${this.redis.status}`))
    }
    return run()
  }
}
