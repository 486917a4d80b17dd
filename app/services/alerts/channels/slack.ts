import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { textOf } from '#services/alerts/message'
import { defineChannelKind, expectOk } from '#services/alerts/channels/kind'
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
    const body = JSON.stringify({ text: textOf(message) })
    const headers = { 'content-type': 'application/json' }
    const response = await safeRequest({
      method: 'POST',
      url: config.url,
      headers,
      body,
      ...options,
    })
    expectOk(response, 'Slack')
  },
})
