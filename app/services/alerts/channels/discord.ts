import vine from '@vinejs/vine'
import { textOf } from '#services/alerts/message'
import { defineChannelKind, postJsonMessage } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'

/** Discord refuses a message longer than this */
const CONTENT_MAX = 2000

export default defineChannelKind({
  name: 'discord',
  label: 'Discord',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({
      description: "The channel's webhook (Server Settings → Integrations → Webhooks)",
    }),
  }),
  example: { url: 'https://discord.com/api/webhooks/000000000000000000/XXXX' },
  secrets: { url: 'url-path' },
  form: { fields: [urlFormField] },
  /**
   * Execute Webhook (discord.com/developers/docs/resources/webhook): JSON with
   * `content`; nobody is pinged by a name in it. Discord answers 204, and 429
   * with Retry-After when the webhook is sent to too often.
   */
  async send(config, message, options) {
    await postJsonMessage(
      config.url,
      {
        content: textOf(message).slice(0, CONTENT_MAX),
        allowed_mentions: { parse: [] },
      },
      options,
      'Discord'
    )
  },
})
