import type Channel from '#models/channel'
import { BaseTransformer } from '@adonisjs/core/transformers'

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
}
