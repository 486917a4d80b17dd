import { UUID_RE } from '#lib/uuid'

/**
 * The shape of one accepted ping on the Redis Stream: the edge writes it, the
 * worker reads it. Field names are short because every ping carries them.
 */
export type PingAction = 'success' | 'start' | 'fail' | 'log'
/**
 * What a stream entry asks: a Ping, or `snooze` (an ad hoc maintenance window,
 * a grammar extension healthchecks clients never send), which the worker
 * applies to the Token without storing a Ping.
 */
export type StreamAction = PingAction | 'snooze'

/** The longest snooze, in minutes (a week), and the one a URL without `?minutes=` asks. */
export const SNOOZE_MINUTES = { max: 7 * 24 * 60, default: 60 } as const

export interface PingMessage {
  /** Token UUID */
  token: string
  action: StreamAction
  /** Milliseconds since the epoch, taken by the edge when the ping arrived */
  at: number
  method: string
  remoteAddr: string
  userAgent: string
  exitStatus: number | null
  rid: string | null
  body: Buffer | null
  /** Set when the ping asked for its Token to be provisioned (slug form, `?create=1`) */
  create?: { pingKey: string; slug: string } | null
  /** The run's duration as the client reports it (Uptime Kuma's `ping`), in ms */
  durationMs?: number | null
  /** A snooze's length; 0 ends the current one */
  snoozeMinutes?: number | null
}

/** A run longer than this is no run: its start is not paired, its duration not kept (healthchecks: 72 h). */
export const MAX_RUN_MS = 72 * 3600 * 1000

/** A reported duration as stored: whole milliseconds, 0 up to MAX_RUN_MS, else none. */
export function runDuration(value: unknown): number | null {
  return typeof value === 'number' && value >= 0 && value <= MAX_RUN_MS ? Math.round(value) : null
}

/** Column widths of the pings table; longer values are cut, never rejected. */
export const FIELD_LIMITS = { method: 10, remoteAddr: 45, userAgent: 200 } as const

/**
 * A ping on the stream is a `t` field (its Token; the edge's script sets it,
 * as only there the slug form knows it), a `p` field with everything else as
 * one JSON array, and a `b` field with the body's raw bytes when there is
 * one. The array is action, at, method, remote address, user agent, exit
 * status and rid, then, when there are, the create request's ping key and
 * slug, the reported duration and a snooze's minutes. Few fields keep Redis, the edge and the
 * worker fast. One entry may hold several pings (the edge writes the pings
 * of one event-loop turn together): each starts at its `t`.
 */
export function packPing(message: Omit<PingMessage, 'token'>): string {
  const packed: (string | number | null)[] = [
    message.action,
    message.at,
    message.method,
    message.remoteAddr,
    message.userAgent,
    message.exitStatus,
    message.rid,
  ]
  // optional tail, positional: ping key, slug, reported duration, snooze minutes
  const tail = [
    message.create?.pingKey ?? null,
    message.create?.slug ?? null,
    typeof message.durationMs === 'number' ? message.durationMs : null,
    typeof message.snoozeMinutes === 'number' ? message.snoozeMinutes : null,
  ]
  while (tail.length > 0 && tail[tail.length - 1] === null) {
    tail.pop()
  }
  packed.push(...tail)
  return JSON.stringify(packed)
}

export function encodePingMessage(message: PingMessage): (string | Buffer)[] {
  const fields: (string | Buffer)[] = ['t', message.token, 'p', packPing(message)]
  if (message.body !== null && message.body.length > 0) {
    fields.push('b', message.body)
  }
  return fields
}

/**
 * The stream id stored with a ping: the entry's id, and for the second and
 * later pings of an entry, their position after a dot.
 */
export function pingStreamId(entryId: string, index: number) {
  return index === 0 ? entryId : `${entryId}.${index}`
}

/** Year 10000: past it a timestamp is not one PostgreSQL takes in ISO form. */
const LAST_MS = 253_402_300_800_000

const ACTIONS = new Set<string>(['success', 'start', 'fail', 'log', 'snooze'])

/**
 * A text field as PostgreSQL takes it: no NUL bytes, at most `max` characters.
 */
export function cleanText(value: string | undefined, max: number): string {
  if (!value) {
    return ''
  }
  const clean = value.includes('\0') ? value.replaceAll('\0', '') : value
  return clean.length > max ? clean.slice(0, max) : clean
}

function exitStatus(value: unknown): number | null {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255
    ? (value as number)
    : null
}

function snoozeMinutes(value: unknown): number | null {
  return Number.isInteger(value) &&
    (value as number) >= 0 &&
    (value as number) <= SNOOZE_MINUTES.max
    ? (value as number)
    : null
}

function text(value: unknown, max: number) {
  return cleanText(typeof value === 'string' ? value : '', max)
}

function unpack(raw: Buffer | undefined): unknown[] | null {
  try {
    const packed = raw ? JSON.parse(raw.toString()) : null
    return Array.isArray(packed) ? packed : null
  } catch {
    return null
  }
}

function decodeOne(token: string | undefined, packed: unknown[] | null, body: Buffer | null) {
  if (!token || !UUID_RE.test(token) || !packed) {
    return null
  }
  const [action, at, method, remoteAddr, userAgent, exit, rid, pingKey, slug, duration, minutes] =
    packed
  if (typeof action !== 'string' || !ACTIONS.has(action)) {
    return null
  }
  if (!Number.isSafeInteger(at) || (at as number) < 0 || (at as number) >= LAST_MS) {
    return null
  }
  const message: PingMessage = {
    token,
    action: action as StreamAction,
    at: at as number,
    method: text(method, FIELD_LIMITS.method),
    remoteAddr: text(remoteAddr, FIELD_LIMITS.remoteAddr),
    userAgent: text(userAgent, FIELD_LIMITS.userAgent),
    exitStatus: exitStatus(exit),
    rid: typeof rid === 'string' && UUID_RE.test(rid) ? rid : null,
    body,
    create:
      typeof pingKey === 'string' && typeof slug === 'string' && pingKey && slug
        ? { pingKey, slug }
        : null,
    durationMs: runDuration(duration),
    snoozeMinutes: snoozeMinutes(minutes),
  }
  return message
}

/**
 * Reads a stream entry's field/value list (as Buffers, so bodies keep their
 * bytes) into its pings, in order; a ping that cannot be read is null, so
 * positions (and stream ids) stay stable. Every field is made safe to store,
 * so no entry can make a batch fail again and again.
 */
export function decodePingEntry(fields: Buffer[]): (PingMessage | null)[] {
  const pings: (PingMessage | null)[] = []
  let token: string | undefined
  let packed: unknown[] | null = null
  let body: Buffer | null = null
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString()
    if (name === 't') {
      if (token !== undefined) {
        pings.push(decodeOne(token, packed, body))
      }
      token = fields[i + 1].toString()
      packed = null
      body = null
    } else if (name === 'p') {
      packed = unpack(fields[i + 1])
    } else if (name === 'b') {
      body = fields[i + 1]
    }
  }
  pings.push(decodeOne(token, packed, body))
  return pings
}

/** The first ping of an entry (entries of one ping, as tests write them). */
export function decodePingMessage(fields: Buffer[]): PingMessage | null {
  return decodePingEntry(fields)[0]
}
