import vine from '@vinejs/vine'
import { textOf } from '#services/alerts/message'
import { defineChannelKind, postJsonMessage } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'

export default defineChannelKind({
  name: 'slack',
  label: 'Slack-compatible webhook',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({ description: 'The incoming webhook' }),
  }),
  example: { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  secrets: { url: 'url-path' },
  form: { fields: [urlFormField] },
  async send(config, message, options) {
    await postJsonMessage(config.url, { text: textOf(message) }, options, 'Slack')
  },
})
