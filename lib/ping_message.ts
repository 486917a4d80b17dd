import { UUID_RE } from '#lib/uuid'

/**
 * The shape of one accepted ping on the Redis Stream: the edge writes it, the
 * worker reads it. Field names are short because every ping carries them.
 */
export type PingAction = 'success' | 'start' | 'fail' | 'log'

export interface PingMessage {
  /** Token UUID */
  token: string
  action: PingAction
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
}

/** Column widths of the pings table; longer values are cut, never rejected. */
export const FIELD_LIMITS = { method: 10, remoteAddr: 45, userAgent: 200 } as const

/**
 * Field/value list for XADD, without the Token: the edge's script adds `t`
 * once it has resolved the Token (the slug form knows it only there). The
 * rest travels as one JSON array (`p`), and the body as raw bytes (`b`): few
 * fields keep Redis, the edge and the worker fast.
 */
export function encodePingFields(message: Omit<PingMessage, 'token'>): (string | Buffer)[] {
  const packed: (string | number | null)[] = [
    message.action,
    message.at,
    message.method,
    message.remoteAddr,
    message.userAgent,
    message.exitStatus,
    message.rid,
  ]
  if (message.create) {
    packed.push(message.create.pingKey, message.create.slug)
  }
  const fields: (string | Buffer)[] = ['p', JSON.stringify(packed)]
  if (message.body !== null && message.body.length > 0) {
    fields.push('b', message.body)
  }
  return fields
}

export function encodePingMessage(message: PingMessage): (string | Buffer)[] {
  return ['t', message.token, ...encodePingFields(message)]
}

const ACTIONS = new Set<string>(['success', 'start', 'fail', 'log'])

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

/**
 * Reads a stream entry's field/value list (as Buffers, so bodies keep their
 * bytes). Returns null for an entry that is not a ping message. Every field
 * is made safe to store, so no entry can make a batch fail again and again.
 */
export function decodePingMessage(fields: Buffer[]): PingMessage | null {
  let token: string | undefined
  let packed: unknown[] | null = null
  let body: Buffer | null = null
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString()
    if (name === 't') {
      token = fields[i + 1].toString()
    } else if (name === 'p') {
      packed = unpack(fields[i + 1])
    } else if (name === 'b') {
      body = fields[i + 1]
    }
  }
  if (!token || !UUID_RE.test(token) || !packed) {
    return null
  }
  const [action, at, method, remoteAddr, userAgent, exit, rid, pingKey, slug] = packed
  if (typeof action !== 'string' || !ACTIONS.has(action)) {
    return null
  }
  if (!Number.isSafeInteger(at) || (at as number) < 0 || (at as number) > 8.64e15) {
    return null
  }
  return {
    token,
    action: action as PingAction,
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
  }
}
