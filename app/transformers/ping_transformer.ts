import type Ping from '#models/ping'
import { BaseTransformer } from '@adonisjs/core/transformers'
import { answer, dateTime, nullable, uuid } from '#services/api_docs/schema_types'

export interface PingFields {
  id: number
  kind: string
  createdAt: Date
  method: string
  remoteAddr: string
  userAgent: string
  exitStatus: number | null
  rid: string | null
  durationMs: number | null
  body: Buffer | null
}

/**
 * A Ping as the API shows it. Bodies are bytes; the API shows them as UTF-8
 * text (invalid sequences replaced), which is what cron jobs send.
 */
export function pingJson(ping: PingFields, token: string | null) {
  return {
    id: ping.id,
    token,
    kind: ping.kind,
    created_at: ping.createdAt.toISOString(),
    method: ping.method,
    remote_addr: ping.remoteAddr,
    user_agent: ping.userAgent,
    exit_status: ping.exitStatus,
    rid: ping.rid,
    duration_ms: ping.durationMs,
    body: ping.body ? ping.body.toString('utf8') : null,
  }
}

/** The API document's Ping: what `pingJson` returns */
export const pingSchema = answer<ReturnType<typeof pingJson>>({
  id: { type: 'integer' },
  token: uuid,
  kind: { type: 'string', enum: ['success', 'start', 'fail', 'log', 'ign'] },
  created_at: dateTime,
  method: { type: 'string', example: 'POST' },
  remote_addr: { type: 'string', example: '203.0.113.7' },
  user_agent: { type: 'string', example: 'curl/8.5.0' },
  exit_status: nullable({ type: 'integer', minimum: 0, maximum: 255 }),
  rid: nullable(uuid),
  duration_ms: nullable({ type: 'integer', example: 42000 }),
  body: nullable({ type: 'string', example: 'backup done: 42 files' }),
})

export default class PingTransformer extends BaseTransformer<Ping> {
  toObject() {
    const ping = this.resource
    return pingJson(
      { ...ping.$attributes, createdAt: ping.createdAt.toJSDate() } as PingFields,
      ping.$extras.token_uuid ?? ping.token?.uuid ?? null
    )
  }
}
