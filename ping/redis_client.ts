import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { encodeCommand, ReplyError, ReplyParser, scriptSha, type Reply } from './resp.js'
import {
  RedisUnavailable,
  type Outage,
  type EdgeRedis,
  type EdgeRedisOptions,
} from './redis_connection.js'

interface Pending {
  resolve: (reply: Reply) => void
  reject: (error: Error) => void
  sentAt: number
  settled: boolean
}

/**
 * The edge's Redis connection: one socket, commands pipelined in order (the
 * store batches the pings of a loop turn into one), no offline queue. Lean on purpose (the edge's memory and speed targets): it
 * fails at once while disconnected, reconnects by itself, and gives up on a
 * command after `timeoutMs` so no client waits on a stalled Redis.
 */
export class RedisClient implements EdgeRedis {
  status: 'connecting' | 'ready' | 'reconnecting' | 'closed' = 'connecting'
  #socket: Socket | null = null
  #queue: Pending[] = []
  #parser = new ReplyParser((reply) => this.#onReply(reply))
  #attempts = 0
  #readyWaiters: (() => void)[] = []
  #timer = setInterval(() => this.#expire(), 10).unref()

  constructor(
    readonly options: EdgeRedisOptions,
    readonly outage: Outage
  ) {
    this.#connect()
  }

  /** Resolves when connected (now, or at the next successful connection). */
  whenReady(): Promise<void> {
    return this.status === 'ready'
      ? Promise.resolve()
      : new Promise((resolve) => this.#readyWaiters.push(resolve))
  }

  ping() {
    return this.command(['PING'])
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
    const silentMs = Math.max(1000, this.options.timeoutMs * 10)
    if (oldest && this.#socket && now - oldest.sentAt > silentMs) {
      this.outage.failed(new Error(`no reply for ${silentMs} ms`))
      this.#socket.destroy()
    }
  }

  #connect() {
    const { host, port, tls } = this.options
    const socket = tls ? tlsConnect({ host, port, servername: host }) : tcpConnect(port, host)
    this.#socket = socket
    socket.setNoDelay(true)
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 1000
    socket.setTimeout(connectTimeoutMs, () => {
      this.outage.failed(new Error(`not connected within ${connectTimeoutMs} ms`))
      socket.destroy()
    })
    socket.once(tls ? 'secureConnect' : 'connect', () => void this.#handshake(socket))
    socket.on('data', (chunk: Buffer) => this.#parser.feed(chunk))
    // The reason Redis is away, told in the outage line ('close' follows).
    socket.on('error', (error) => this.outage.failed(error))
    socket.once('close', () => this.#onClose())
  }

  async #handshake(socket: Socket) {
    socket.setTimeout(0)
    const steps: (string | number)[][] = []
    if (this.options.password) {
      steps.push(['AUTH', this.options.password])
    }
    steps.push(['SELECT', this.options.db])
    const replies = await Promise.all(steps.map((step) => this.#send(step))).catch(
      (error: Error) => error
    )
    const failure =
      replies instanceof Error ? replies : replies.find((r) => r instanceof ReplyError)
    if (failure) {
      // A wrong password or database says so in the outage line.
      this.outage.failed(failure as Error)
      socket.destroy()
      return
    }
    this.status = 'ready'
    this.#attempts = 0
    this.outage.up()
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
    this.outage.down()
    setTimeout(
      () => this.status !== 'closed' && this.#connect(),
      Math.min(this.#attempts * 50, 500)
    )
  }
}
