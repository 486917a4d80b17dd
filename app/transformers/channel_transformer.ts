import type Channel from '#models/channel'
import { BaseTransformer } from '@adonisjs/core/transformers'
import { redactedConfig } from '#services/alerts/channels/redaction'

export default class ChannelTransformer extends BaseTransformer<Channel> {
  toObject() {
    const channel = this.resource
    return {
      id: channel.id,
      kind: channel.kind,
      name: channel.name,
      config: channel.config,
      last_error: channel.lastError ?? null,
      last_notify_at: channel.lastNotifyAt?.toUTC().toISO() ?? null,
      created_at: channel.createdAt.toUTC().toISO(),
    }
  }

  /** For read-only API keys, which must not learn credentials to other systems */
  toRedacted() {
    return { ...this.toObject(), config: redactedConfig(this.resource.kind, this.resource.config) }
  }
}
