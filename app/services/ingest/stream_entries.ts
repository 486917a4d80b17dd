import { decodePingEntry, pingStreamId, type PingMessage } from '#lib/ping_message'
import { copyBytea, copyValue } from '#services/ingest/pg_copy'

/**
 * One stream entry as the worker reads it: its id and raw field list, and
 * once `preparePings` has seen it, its decoded pings (one entry may hold
 * several: the edge enqueues the pings of one event-loop turn together).
 */
export interface StreamEntry {
  id: string
  fields: Buffer[]
  prepared?: PreparedPing[]
}

/**
 * A decoded ping with the parts of its COPY row that do not depend on its
 * Token's state, built before the transaction so it stays short.
 */
export interface PreparedPing {
  id: string
  message: PingMessage
  /** created_at, method, remote_addr, user_agent, exit_status, rid */
  middle: string
  /** body, stream_id */
  tail: string
}

export const PING_COLUMNS = [
  'token_id',
  'kind',
  'created_at',
  'method',
  'remote_addr',
  'user_agent',
  'exit_status',
  'rid',
  'duration_ms',
  'body',
  'stream_id',
] as const

function prepare(id: string, message: PingMessage): PreparedPing {
  const middle = `\t${new Date(message.at).toISOString()}\t${copyValue(message.method)}\t${copyValue(
    message.remoteAddr
  )}\t${copyValue(message.userAgent)}\t${copyValue(message.exitStatus)}\t${copyValue(message.rid)}\t`
  return { id, message, middle, tail: `\t${copyBytea(message.body)}\t${id}\n` }
}

/**
 * Decodes entries and builds their rows; the worker does it for the next
 * batch while PostgreSQL stores the current one.
 */
export function preparePings(entries: StreamEntry[]): PreparedPing[] {
  const pings: PreparedPing[] = []
  for (const entry of entries) {
    if (entry.prepared === undefined) {
      entry.prepared = decodePingEntry(entry.fields).flatMap((message, index) =>
        message ? [prepare(pingStreamId(entry.id, index), message)] : []
      )
    }
    pings.push(...entry.prepared)
  }
  return pings
}
