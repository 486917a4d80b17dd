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
 * store batches the pings of a loop turn into one), no offline queue. Lean on
 * purpose (the edge's memory and speed targets): it fails at once while
 * disconnected and reconnects by itself.
 *
 * Down and busy are told apart by whether Redis still answers: a command
 * that waited `timeoutMs` while Redis sent nothing for as long fails (Redis
 * stalled: no ping waits much longer than `timeoutMs` for it); a Redis that
 * keeps answering is busy, not down, and a command waits for it up to
 * `busyTimeoutMs`. A timeout is decided only after the replies already in
 * the socket were read: an edge whose own event loop was held up must not
 * fail commands that Redis answered in time.
 */
export class RedisClient implements EdgeRedis {
  status: 'connecting' | 'ready' | 'reconnecting' | 'closed' = 'connecting'
  #socket: Socket | null = null
  #queue: Pending[] = []
  #parser = new ReplyParser((reply) => this.#onReply(reply))
  #attempts = 0
  #readyWaiters: (() => void)[] = []
  /** When Redis last sent anything (performance.now()) */
  #heardAt = 0
  #checkQueued = false
  #timer = setInterval(() => this.#tick(), 10).unref()

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
   * Every 10 ms while commands wait: look again after this turn's I/O (the
   * check phase runs after the poll phase), so that replies which arrived
   * while the edge was busy are read before anything is called late.
   */
  #tick() {
    if (this.#queue.length === 0 || this.#checkQueued) {
      return
    }
    this.#checkQueued = true
    setImmediate(() => {
      this.#checkQueued = false
      this.#expire()
    })
  }

  /**
   * Fails commands past their time. Their entries stay queued, so late
   * replies still pair up in order; a Redis silent for long is dropped.
   */
  #expire() {
    const oldest = this.#queue[0]
    if (!oldest) {
      return
    }
    const now = performance.now()
    const silentFor = now - Math.max(this.#heardAt, oldest.sentAt)
    const { timeoutMs } = this.options
    const busyTimeoutMs = Math.max(this.options.busyTimeoutMs ?? 0, timeoutMs)
    for (const pending of this.#queue) {
      const waited = now - pending.sentAt
      if (waited < timeoutMs) {
        break
      }
      if (pending.settled) {
        continue
      }
      if (silentFor >= timeoutMs) {
        this.#fail([pending], 'redis stalled')
      } else if (waited >= busyTimeoutMs) {
        this.#fail([pending], 'redis timeout')
      }
    }
    const dropMs = Math.max(1000, this.options.timeoutMs * 10)
    if (this.#socket && silentFor > dropMs) {
      this.outage.failed(new Error(`no reply for ${dropMs} ms`))
      this.#socket.destroy()
    }
  }

  #fail(pending: Pending[], reason: string) {
    for (const entry of pending) {
      if (!entry.settled) {
        entry.settled = true
        entry.reject(new RedisUnavailable(reason))
      }
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
    socket.on('data', (chunk: Buffer) => {
      this.#heardAt = performance.now()
      this.#parser.feed(chunk)
    })
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
    this.#fail(this.#queue.splice(0), 'redis connection lost')
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
