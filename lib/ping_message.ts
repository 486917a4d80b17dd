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
}

/**
 * Flat field/value list for XADD.
 */
export function encodePingMessage(message: PingMessage): (string | Buffer)[] {
  const fields: (string | Buffer)[] = [
    't',
    message.token,
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
  return fields
}

const ACTIONS = new Set<string>(['success', 'start', 'fail', 'log'])

/**
 * Reads a stream entry's field/value list (as Buffers, so bodies keep their
 * bytes). Returns null for an entry that is not a ping message.
 */
export function decodePingMessage(fields: Buffer[]): PingMessage | null {
  const map = new Map<string, Buffer>()
  for (let i = 0; i + 1 < fields.length; i += 2) {
    map.set(fields[i].toString(), fields[i + 1])
  }
  const token = map.get('t')?.toString()
  const action = map.get('a')?.toString()
  const at = Number(map.get('at')?.toString())
  if (!token || !action || !ACTIONS.has(action) || !Number.isFinite(at)) {
    return null
  }
  const exit = map.get('x')
  return {
    token,
    action: action as PingAction,
    at,
    method: map.get('m')?.toString() ?? '',
    remoteAddr: map.get('ip')?.toString() ?? '',
    userAgent: map.get('ua')?.toString() ?? '',
    exitStatus: exit === undefined ? null : Number(exit.toString()),
    rid: map.get('rid')?.toString() ?? null,
    body: map.get('b') ?? null,
  }
}
