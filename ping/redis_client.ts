import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { encodeCommand, ReplyError, ReplyParser, scriptSha, type Reply } from './resp.js'

export interface RedisClientOptions {
  host: string
  port: number
  password?: string
  db: number
  tls: boolean
  /** A command unanswered this long fails (the edge then answers 503) */
  timeoutMs: number
  connectTimeoutMs?: number
}

interface Pending {
  resolve: (reply: Reply) => void
  reject: (error: Error) => void
  sentAt: number
  settled: boolean
}

export class RedisUnavailable extends Error {}

/**
 * The edge's Redis connection: one socket, commands pipelined in order (the
 * store batches the pings of a loop turn into one), no offline queue. Lean on purpose (the edge's memory and speed targets): it
 * fails at once while disconnected, reconnects by itself, and gives up on a
 * command after `timeoutMs` so no client waits on a stalled Redis.
 */
export class RedisClient {
  status: 'connecting' | 'ready' | 'reconnecting' | 'closed' = 'connecting'
  #socket: Socket | null = null
  #queue: Pending[] = []
  #parser = new ReplyParser((reply) => this.#onReply(reply))
  #attempts = 0
  #readyWaiters: (() => void)[] = []
  #timer = setInterval(() => this.#expire(), 10).unref()
  /** Since when Redis is away (told once by `log`), null while connected */
  #awaySince: number | null = null
  /** Where the one line "Redis is away" and the one "is back" go (ping/main.ts: stderr) */
  log: (line: string) => void = () => {}

  constructor(readonly options: RedisClientOptions) {
    this.#connect()
  }

  /** Resolves when connected (now, or at the next successful connection). */
  whenReady(): Promise<void> {
    return this.status === 'ready'
      ? Promise.resolve()
      : new Promise((resolve) => this.#readyWaiters.push(resolve))
  }

  command(args: (string | number | Buffer)[]): Promise<Reply> {
    if (this.status !== 'ready') {
      return Promise.reject(new RedisUnavailable(`redis ${this.status}`))
    }
    return this.#send(args)
  }

  /**
   * Runs a Lua script by its SHA1, loading it on the first NOSCRIPT.
   */
  async evalScript(script: string, keys: string[], args: (string | number | Buffer)[]) {
    const sha = scriptSha(script)
    const reply = await this.command(['EVALSHA', sha, keys.length, ...keys, ...args])
    if (reply instanceof ReplyError && reply.message.startsWith('NOSCRIPT')) {
      return this.command(['EVAL', script, keys.length, ...keys, ...args])
    }
    return reply
  }

  close() {
    this.status = 'closed'
    clearInterval(this.#timer)
    this.#socket?.destroy()
  }

  #send(args: (string | number | Buffer)[]): Promise<Reply> {
    const chunks = encodeCommand(args)
    const socket = this.#socket!
    if (chunks.length === 1) {
      socket.write(chunks[0])
    } else {
      socket.cork()
      for (const chunk of chunks) {
        socket.write(chunk)
      }
      socket.uncork()
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ resolve, reject, sentAt: performance.now(), settled: false })
    })
  }

  #onReply(reply: Reply) {
    const pending = this.#queue.shift()
    if (pending && !pending.settled) {
      pending.settled = true
      pending.resolve(reply)
    }
  }

  /**
   * Fails commands past their time. Their entries stay queued, so late
   * replies still pair up in order; a Redis silent for long is dropped.
   */
  #expire() {
    const now = performance.now()
    for (const pending of this.#queue) {
      if (now - pending.sentAt < this.options.timeoutMs) {
        break
      }
      if (!pending.settled) {
        pending.settled = true
        pending.reject(new RedisUnavailable('redis timeout'))
      }
    }
    const oldest = this.#queue[0]
    if (oldest && now - oldest.sentAt > Math.max(1000, this.options.timeoutMs * 10)) {
      this.#socket?.destroy()
    }
  }

  #connect() {
    const { host, port, tls } = this.options
    const socket = tls ? tlsConnect({ host, port, servername: host }) : tcpConnect(port, host)
    this.#socket = socket
    socket.setNoDelay(true)
    socket.setTimeout(this.options.connectTimeoutMs ?? 1000, () => socket.destroy())
    socket.once(tls ? 'secureConnect' : 'connect', () => void this.#handshake(socket))
    socket.on('data', (chunk: Buffer) => this.#parser.feed(chunk))
    socket.on('error', () => {})
    socket.once('close', () => this.#onClose())
  }

  async #handshake(socket: Socket) {
    socket.setTimeout(0)
    const steps: (string | number)[][] = []
    if (this.options.password) {
      steps.push(['AUTH', this.options.password])
    }
    steps.push(['SELECT', this.options.db])
    const replies = await Promise.all(steps.map((step) => this.#send(step))).catch(() => null)
    if (!replies || replies.some((reply) => reply instanceof ReplyError)) {
      socket.destroy()
      return
    }
    this.status = 'ready'
    this.#attempts = 0
    if (this.#awaySince !== null) {
      const seconds = Math.round((Date.now() - this.#awaySince) / 1000)
      this.log(`ping edge: Redis is back (away ${seconds} s)`)
      this.#awaySince = null
    }
    for (const resolve of this.#readyWaiters.splice(0)) {
      resolve()
    }
  }

  #onClose() {
    for (const pending of this.#queue.splice(0)) {
      if (!pending.settled) {
        pending.settled = true
        pending.reject(new RedisUnavailable('redis connection lost'))
      }
    }
    this.#parser.reset()
    this.#socket = null
    if (this.status === 'closed') {
      return
    }
    this.status = 'reconnecting'
    this.#attempts += 1
    if (this.#awaySince === null) {
      this.#awaySince = Date.now()
      const { host, port } = this.options
      this.log(
        `ping edge: Redis at ${host}:${port} is unreachable; pings get 503 until it is back (is it running? REDIS_HOST, REDIS_PORT)`
      )
    }
    setTimeout(
      () => this.status !== 'closed' && this.#connect(),
      Math.min(this.#attempts * 50, 500)
    )
  }
}
