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
 * Flat field/value list for XADD, without the Token: the edge's script adds
 * `t` once it has resolved the Token (the slug form knows it only there).
 */
export function encodePingFields(message: Omit<PingMessage, 'token'>): (string | Buffer)[] {
  const fields: (string | Buffer)[] = [
    'a',
    message.action,
    'at',
    String(message.at),
    'm',
    message.method,
    'ip',
    message.remoteAddr,
    'ua',
    message.userAgent,
  ]
  if (message.exitStatus !== null) {
    fields.push('x', String(message.exitStatus))
  }
  if (message.rid !== null) {
    fields.push('rid', message.rid)
  }
  if (message.body !== null && message.body.length > 0) {
    fields.push('b', message.body)
  }
  if (message.create) {
    fields.push('c', '1', 'k', message.create.pingKey, 's', message.create.slug)
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
  const text = value.includes('\0') ? value.replaceAll('\0', '') : value
  return text.length > max ? text.slice(0, max) : text
}

function exitStatus(raw: Buffer | undefined): number | null {
  const code = raw === undefined ? Number.NaN : Number(raw.toString())
  return Number.isInteger(code) && code >= 0 && code <= 255 ? code : null
}

function createRequest(map: Map<string, Buffer>) {
  const pingKey = map.get('k')?.toString()
  const slug = map.get('s')?.toString()
  return map.get('c')?.toString() === '1' && pingKey && slug ? { pingKey, slug } : null
}

/**
 * Reads a stream entry's field/value list (as Buffers, so bodies keep their
 * bytes). Returns null for an entry that is not a ping message. Every field
 * is made safe to store, so no entry can make a batch fail again and again.
 */
export function decodePingMessage(fields: Buffer[]): PingMessage | null {
  const map = new Map<string, Buffer>()
  for (let i = 0; i + 1 < fields.length; i += 2) {
    map.set(fields[i].toString(), fields[i + 1])
  }
  const token = map.get('t')?.toString()
  const action = map.get('a')?.toString()
  const at = Number(map.get('at')?.toString())
  if (!token || !UUID_RE.test(token) || !action || !ACTIONS.has(action)) {
    return null
  }
  if (!Number.isSafeInteger(at) || at < 0 || at > 8.64e15) {
    return null
  }
  const rid = map.get('rid')?.toString() ?? null
  return {
    token,
    action: action as PingAction,
    at,
    method: cleanText(map.get('m')?.toString(), FIELD_LIMITS.method),
    remoteAddr: cleanText(map.get('ip')?.toString(), FIELD_LIMITS.remoteAddr),
    userAgent: cleanText(map.get('ua')?.toString(), FIELD_LIMITS.userAgent),
    exitStatus: exitStatus(map.get('x')),
    rid: rid !== null && UUID_RE.test(rid) ? rid : null,
    body: map.get('b') ?? null,
    create: createRequest(map),
  }
}
