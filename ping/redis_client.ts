import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { encodeCommand, ReplyError, ReplyParser, scriptSha, type Reply } from './resp.js'
import {
  RedisLate,
  RedisUnavailable,
  type Outage,
  type EdgeRedis,
  type EdgeRedisOptions,
} from './redis_connection.js'

type Args = (string | number | Buffer)[]
type LateReply = (reply: Reply) => void

/**
 * A timeout check that runs this much later than it was due means the edge
 * itself was held up (a long turn, or the whole machine paused): Redis may
 * have been held up as well, its reply not sent yet rather than never.
 */
const HELD_UP_MS = 10
/** How long after such a check the decision is taken again, the edge running meanwhile */
const RECHECK_MS = 10

interface Pending {
  resolve: (reply: Reply) => void
  reject: (error: Error) => void
  sentAt: number
  /** When its caller began waiting: its sending, or earlier (queued behind others) */
  since: number
  settled: boolean
  /** When it was answered or failed (Infinity until then): the next command's turn starts */
  settledAt: number
  /** Told of a reply that came after the command failed on time (Redis ran it all the same) */
  late?: LateReply
}

/**
 * The edge's Redis connection: one socket, commands pipelined in order (the
 * store groups pings into few calls, written together), no offline queue. Lean on
 * purpose (the edge's memory and speed targets): it fails at once while
 * disconnected and reconnects by itself.
 *
 * Down and busy are told apart by whether Redis still answers: a command
 * that waited `timeoutMs` while Redis sent nothing for as long fails (Redis
 * stalled: no ping waits much longer than `timeoutMs` for it); a Redis that
 * keeps answering is busy, not down, and a command waits for it up to
 * `busyTimeoutMs`. A timeout is decided only after the replies already in
 * the socket were read: an edge whose own event loop was held up must not
 * fail commands that Redis answered in time. Each command waits for its own
 * time, counted from when its caller began waiting (a ping queued behind a
 * flush: from its arrival): one that came while Redis was already silent is
 * not failed with the older ones, since a Redis merely starved of CPU
 * answers it soon after.
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
  /** Wakes the timeout check when the oldest command could next expire */
  #timer: NodeJS.Timeout | null = null
  #timerAt = Infinity
  /** When the last reply paired with its command: the next command's turn starts */
  #repliedAt = 0

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

  command(args: Args): Promise<Reply> {
    return this.commands([args])[0]
  }

  /**
   * Sends the commands in one write (one syscall): a promise for each reply.
   * `waitingSince[i]`: when command i's caller began waiting, if before now.
   * `late[i]`: told of command i's reply if it comes after the command failed
   * on its timeout.
   */
  commands(list: Args[], waitingSince?: number[], late?: LateReply[]): Promise<Reply>[] {
    if (this.status !== 'ready') {
      const refused = new RedisUnavailable(`redis ${this.status}`)
      return list.map(() => Promise.reject(refused))
    }
    return this.#send(list, waitingSince, late)
  }

  /**
   * Runs a Lua script by its SHA1, loading it on the first NOSCRIPT.
   */
  evalScript(script: string, keys: string[], args: Args) {
    return this.evalScripts(script, keys, [args])[0]
  }

  evalScripts(
    script: string,
    keys: string[],
    argsList: Args[],
    waitingSince?: number[],
    late?: LateReply[]
  ) {
    const head = ['EVALSHA', scriptSha(script), keys.length, ...keys]
    const replies = this.commands(
      argsList.map((args) => [...head, ...args]),
      waitingSince,
      late
    )
    return replies.map((reply, i) =>
      reply.then((value) =>
        value instanceof ReplyError && value.message.startsWith('NOSCRIPT')
          ? this.command(['EVAL', script, keys.length, ...keys, ...argsList[i]])
          : value
      )
    )
  }

  close() {
    this.status = 'closed'
    this.#disarm()
    this.#socket?.destroy()
  }

  #send(list: Args[], waitingSince?: number[], late?: LateReply[]): Promise<Reply>[] {
    const chunks =
      list.length === 1 ? encodeCommand(list[0]) : joinText(list.flatMap(encodeCommand))
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
    const now = performance.now()
    const replies = list.map(
      (_, i) =>
        new Promise<Reply>((resolve, reject) => {
          const since = Math.min(now, waitingSince?.[i] ?? now)
          this.#queue.push({
            resolve,
            reject,
            sentAt: now,
            since,
            settled: false,
            settledAt: Infinity,
            late: late?.[i],
          })
        })
    )
    this.#arm()
    return replies
  }

  #onReply(reply: Reply) {
    const pending = this.#queue.shift()
    this.#repliedAt = performance.now()
    if (pending && !pending.settled) {
      pending.settled = true
      pending.resolve(reply)
    } else if (pending?.late) {
      pending.late(reply)
    }
  }

  /**
   * Sets the timer for the earliest moment a waiting command could time out
   * or the connection be dropped. It may fire early (Redis spoke since, or
   * the loop's clock was behind): the check then sets it again.
   */
  #arm() {
    const oldest = this.#queue[0]
    if (!oldest) {
      return
    }
    const { timeoutMs, busyTimeoutMs, dropMs } = this.#limits()
    const silentSince = Math.max(this.#heardAt, oldest.sentAt)
    let at = silentSince + dropMs
    let turnAfter = this.#repliedAt
    for (const waiting of this.#queue) {
      if (!waiting.settled) {
        at = Math.min(
          at,
          Math.max(silentSince, waiting.since) + timeoutMs,
          Math.max(waiting.sentAt, turnAfter) + busyTimeoutMs
        )
      }
      turnAfter = waiting.settledAt
    }
    if (at >= this.#timerAt) {
      return
    }
    this.#disarm()
    // Decide after this turn's I/O (the check phase runs after the poll
    // phase), so that replies which arrived while the edge was busy are read
    // before anything is called late.
    this.#check(at)
  }

  /**
   * Runs the timeout check at `at`, after that turn's I/O. A check that came
   * late does not decide: the silence is not proven, so Redis gets RECHECK_MS
   * while the edge runs, and the check that follows decides (a command sent
   * meanwhile may arm an earlier one).
   */
  #check(at: number, recheck = false) {
    this.#timerAt = at
    const delay = Math.max(1, Math.ceil(at - performance.now()))
    this.#timer = setTimeout(() => {
      // The recheck decides however late it came: on a host busy enough to
      // hold up every timer, a silent Redis would otherwise never be called so.
      const heldUp = !recheck && performance.now() - at > HELD_UP_MS
      this.#timer = null
      this.#timerAt = Infinity
      setImmediate(() =>
        heldUp ? this.#check(performance.now() + RECHECK_MS, true) : this.#expire()
      )
    }, delay).unref()
  }

  #disarm() {
    if (this.#timer) {
      clearTimeout(this.#timer)
      this.#timer = null
      this.#timerAt = Infinity
    }
  }

  #limits() {
    const { timeoutMs } = this.options
    return {
      timeoutMs,
      busyTimeoutMs: Math.max(this.options.busyTimeoutMs ?? 0, timeoutMs),
      dropMs: Math.max(1000, timeoutMs * 10),
    }
  }

  /**
   * Fails commands past their time (decided by a check that came on time):
   * a command whose caller waited `timeoutMs` while Redis was silent as long (silence counted from the
   * oldest command's sending at the earliest), or that waited `busyTimeoutMs`
   * since its turn came: its sending, or, pipelined behind another, when that
   * one was answered or failed (a busy Redis answers a queued ping in turn, and
   * a command does not fail for the slow reply of the one before it). Their
   * entries stay queued, so late replies still pair up in order; a Redis
   * silent for long is dropped.
   */
  #expire() {
    const oldest = this.#queue[0]
    if (!oldest) {
      return
    }
    const now = performance.now()
    const silentFor = now - Math.max(this.#heardAt, oldest.sentAt)
    const { timeoutMs, busyTimeoutMs, dropMs } = this.#limits()
    let turnAfter = this.#repliedAt
    for (const pending of this.#queue) {
      if (silentFor >= timeoutMs && now - pending.since >= timeoutMs) {
        this.#fail([pending], new RedisLate('redis stalled'))
      } else if (now - Math.max(pending.sentAt, turnAfter) >= busyTimeoutMs) {
        this.#fail([pending], new RedisLate('redis timeout'))
      }
      turnAfter = pending.settledAt
    }
    if (this.#socket && silentFor > dropMs) {
      this.outage.failed(new Error(`no reply for ${dropMs} ms`))
      this.#socket.destroy()
      return
    }
    this.#arm()
  }

  #fail(pending: Pending[], error: RedisUnavailable) {
    for (const entry of pending) {
      if (!entry.settled) {
        entry.settled = true
        entry.settledAt = performance.now()
        entry.reject(error)
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
    const replies = await Promise.all(this.#send(steps)).catch((error: Error) => error)
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
    const lost = new RedisUnavailable('redis connection lost')
    const queue = this.#queue.splice(0)
    // Those that failed on their timeout before: whether Redis ran them will never be known.
    const late = queue.filter((entry) => entry.settled && entry.late)
    this.#fail(queue, lost)
    for (const entry of late) {
      entry.late!(lost)
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

/** Adjacent text chunks as one string: fewer pieces for the socket's writev. */
function joinText(chunks: (string | Buffer)[]) {
  const joined: (string | Buffer)[] = []
  for (const chunk of chunks) {
    const last = joined.length - 1
    if (typeof chunk === 'string' && typeof joined[last] === 'string') {
      joined[last] += chunk
    } else {
      joined.push(chunk)
    }
  }
  return joined
}
