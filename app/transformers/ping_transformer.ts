import type Ping from '#models/ping'
import { BaseTransformer } from '@adonisjs/core/transformers'

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

export default class PingTransformer extends BaseTransformer<Ping> {
  toObject() {
    const ping = this.resource
    return pingJson(
      { ...ping.$attributes, createdAt: ping.createdAt.toJSDate() } as PingFields,
      ping.$extras.token_uuid ?? ping.token?.uuid ?? null
    )
  }
}
