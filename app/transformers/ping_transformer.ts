import type Ping from '#models/ping'
import { BaseTransformer } from '@adonisjs/core/transformers'

/**
 * Bodies are bytes; the API shows them as UTF-8 text (invalid sequences
 * replaced), which is what cron jobs send.
 */
export default class PingTransformer extends BaseTransformer<Ping> {
  toObject() {
    const ping = this.resource
    return {
      id: ping.id,
      token: ping.$extras.token_uuid ?? ping.token?.uuid ?? null,
      kind: ping.kind,
      created_at: ping.createdAt.toISO(),
      method: ping.method,
      remote_addr: ping.remoteAddr,
      user_agent: ping.userAgent,
      exit_status: ping.exitStatus,
      rid: ping.rid,
      duration_ms: ping.durationMs,
      body: ping.body ? ping.body.toString('utf8') : null,
    }
  }
}
