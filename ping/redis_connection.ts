/**
 * What the edge's store needs from a Redis connection, whichever client
 * provides it (PING_REDIS_CLIENT): run the accept script, answer PING, say
 * when it is connected; both tell the store's Outage why Redis went away.
 */
export interface EdgeRedis {
  /** Runs a Lua script by its SHA1, loading it on the first NOSCRIPT */
  evalScript(script: string, keys: string[], args: (string | number | Buffer)[]): Promise<unknown>
  /**
   * Runs the script once per argument list, the calls written together: a
   * promise for each. `waitingSince[i]` (performance.now()) is when call i's
   * caller began waiting, if before now: its timeout counts from then.
   * `late[i]` is told of call i's reply when it comes after the call failed
   * on its timeout with RedisLate, or of the error that closed the connection
   * first (the builtin client only: ioredis drops such a reply, and its
   * timeouts are not RedisLate).
   */
  evalScripts(
    script: string,
    keys: string[],
    argsList: (string | number | Buffer)[][],
    waitingSince?: number[],
    late?: ((reply: unknown) => void)[]
  ): Promise<unknown>[]
  ping(): Promise<unknown>
  /** Resolves when connected (now, or at the next successful connection) */
  whenReady(): Promise<void>
  close(): void
}

/** Which client the edge talks to Redis with (PING_REDIS_CLIENT) */
export type RedisClientKind = 'builtin' | 'ioredis'
export const REDIS_CLIENT_KINDS: readonly RedisClientKind[] = ['builtin', 'ioredis']

export interface EdgeRedisOptions {
  host: string
  port: number
  password?: string
  db: number
  tls: boolean
  /**
   * A command that waited this long while Redis sent nothing for as long
   * fails (Redis down or stalled; the edge answers 503). The builtin client
   * counts a ping's wait from its arrival, queued behind a flush included
   * (ioredis: from its sending)
   */
  timeoutMs: number
  /**
   * The longest a command waits for a Redis that keeps answering (busy, not
   * down); at least `timeoutMs`. The builtin client only (ioredis: `timeoutMs`)
   */
  busyTimeoutMs?: number
  connectTimeoutMs?: number
}

export class RedisUnavailable extends Error {}

/**
 * A command that was sent but not answered in time: Redis may run it all the
 * same (a `late` hook then hears of its reply, or of the connection lost).
 */
export class RedisLate extends RedisUnavailable {}

/** The short reason of a socket or server error: its code when it has one. */
function reasonOf(error: Error) {
  const code = (error as NodeJS.ErrnoException).code
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message
}

/**
 * Redis' comings and goings as the operator reads them: one line when it
 * goes away (with the last socket or handshake error, never swallowed), one
 * when it is back.
 */
export class Outage {
  /** Where the lines go (ping/main.ts: stderr) */
  log: (line: string) => void = () => {}
  #since: number | null = null
  #cause: string | null = null

  constructor(
    readonly host: string,
    readonly port: number
  ) {}

  /** A socket or handshake error: the reason given when the connection closes. */
  failed(error: Error) {
    this.#cause = reasonOf(error)
  }

  /** The connection closed or could not open. */
  down() {
    if (this.#since !== null) {
      return
    }
    this.#since = Date.now()
    const cause = this.#cause ?? 'connection closed'
    this.log(
      `ping edge: Redis at ${this.host}:${this.port} is unreachable (${cause}); pings get 503 until it is back (is it running? REDIS_HOST, REDIS_PORT)`
    )
  }

  up() {
    this.#cause = null
    if (this.#since === null) {
      return
    }
    const seconds = Math.round((Date.now() - this.#since) / 1000)
    this.log(`ping edge: Redis is back (away ${seconds} s)`)
    this.#since = null
  }
}
