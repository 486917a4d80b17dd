import type Channel from '#models/channel'
import { BaseTransformer } from '@adonisjs/core/transformers'
import { redactedConfig } from '#services/alerts/channels/redaction'
import { answer, dateTime, nullable, uuid } from '#services/api_docs/schema_types'
import { channelKindEnum } from '#services/api_docs/channel_schemas'

export default class ChannelTransformer extends BaseTransformer<Channel> {
  toObject() {
    const channel = this.resource
    return {
      id: channel.id,
      kind: channel.kind,
      name: channel.name,
      config: channel.config,
      repeat_interval: channel.repeatInterval ?? null,
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

/** The API document's Channel: what `toObject` (and `toRedacted`) return */
export const channelSchema = answer<ReturnType<ChannelTransformer['toObject']>>({
  id: uuid,
  kind: channelKindEnum,
  name: { type: 'string', example: 'ops webhook' },
  config: { $ref: '#/components/schemas/ChannelConfigAnswer' },
  repeat_interval: {
    ...nullable({ type: 'integer' }),
    description: 'Seconds between repeats of a down notice while the Token stays down; null: once',
    example: 3600,
  },
  last_error: { ...nullable({ type: 'string' }), example: null },
  last_notify_at: nullable(dateTime),
  created_at: dateTime,
})
