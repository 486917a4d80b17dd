import redis from '@adonisjs/redis/services/main'
import { decodePingEntry, type PingMessage } from '#lib/ping_message'
import { redisKeys } from '#lib/redis_keys'
import type { PingStore } from '#ping/core'

/**
 * The pings waiting on the stream, oldest first, as the worker will read them.
 */
export async function queuedPings(): Promise<PingMessage[]> {
  const entries = (await redis
    .connection('main')
    .ioConnection.xrangeBuffer(redisKeys.pings, '-', '+')) as [Buffer, Buffer[]][]
  return entries.flatMap(([, fields]) => decodePingEntry(fields).filter((ping) => ping !== null))
}

export interface Sent {
  status: number
  text: string
  headers: Headers
}

/**
 * One request to the edge; a hung edge fails the test instead of hanging it.
 */
export async function send(base: string, path: string, init: RequestInit = {}): Promise<Sent> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000), ...init })
  return { status: response.status, text: await response.text(), headers: response.headers }
}

export async function statusOf(base: string, path: string, init: RequestInit = {}) {
  const { status } = await send(base, path, init)
  return status
}

export async function textOf(base: string, path: string, init: RequestInit = {}) {
  const { text } = await send(base, path, init)
  return text
}

/**
 * One success ping handed straight to an edge's store (no HTTP): pings given
 * in one event-loop turn share its next flush.
 */
export function acceptPing(store: PingStore, uuid: string, userAgent = 'test') {
  return store.accept(
    { kind: 'uuid', uuid },
    {
      action: 'success',
      at: Date.now(),
      method: 'GET',
      remoteAddr: '127.0.0.1',
      userAgent,
      exitStatus: null,
      rid: null,
      body: null,
    },
    { rateLimit: 0 }
  )
}
