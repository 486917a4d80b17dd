import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { subjectOf, textOf } from '#services/alerts/message'
import { defineChannelKind, expectOk } from '#services/alerts/channels/kind'
import { channelUrl } from '#services/alerts/channels/fields'

/** Sent in a header: printable ASCII, as Gotify's tokens are (`AbCdEf.gh1-jK_lm`) */
const TOKEN_RE = /^[\x21-\x7e]+$/
/** Gotify's clients alert from 4 up, loudly from 8 */
const DOWN_PRIORITY = 8
const UP_PRIORITY = 5

export default defineChannelKind({
  name: 'gotify',
  label: 'Gotify',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({
      description: 'The server (with its path prefix, if behind one); messages go to <url>/message',
    }),
    token: vine
      .string()
      .trim()
      .maxLength(200)
      .regex(TOKEN_RE)
      .meta({ description: "An application's token (sent as X-Gotify-Key)" }),
    priority: vine
      .number()
      .withoutDecimals()
      .range([0, 10])
      .optional()
      .meta({
        description: `Of down and warning notices, 0 to 10; a recovery is sent at this priority but at most ${UP_PRIORITY}`,
        default: DOWN_PRIORITY,
      }),
  }),
  messages: {
    'token.regex': 'A Gotify application token has printable ASCII characters only, no spaces',
    'token.maxLength': 'A Gotify application token has at most 200 characters',
    'priority.number': 'The Gotify priority is a number from 0 to 10',
    'priority.withoutDecimals': 'The Gotify priority is a whole number from 0 to 10',
    'priority.range': 'The Gotify priority is from 0 to 10',
  },
  example: { url: 'https://gotify.example.com', token: 'AKf3Yd9.Qw2xLmZ', priority: 8 },
  secrets: { token: 'whole' },
  form: {
    fields: [
      { name: 'url', label: 'Gotify server', input: 'url', placeholder: 'https://' },
      { name: 'token', label: 'App token', input: 'text', autocomplete: 'off' },
      {
        name: 'priority',
        label: 'Gotify priority',
        input: 'text',
        optional: true,
        placeholder: String(DOWN_PRIORITY),
        parse: (text) => (text.trim() === '' ? undefined : Number(text)),
      },
    ],
  },
  /** One message through the message API (gotify.net/docs/pushmsg), the token in a header */
  async send(config, message, options) {
    const chosen = config.priority ?? DOWN_PRIORITY
    const body = JSON.stringify({
      title: subjectOf(message),
      message: textOf(message),
      priority: message.status === 'up' ? Math.min(chosen, UP_PRIORITY) : chosen,
      extras: { 'client::display': { contentType: 'text/plain' } },
    })
    const headers = { 'content-type': 'application/json', 'x-gotify-key': config.token }
    const url = `${String(config.url).replace(/\/+$/, '')}/message`
    const response = await safeRequest({ method: 'POST', url, headers, body, ...options })
    expectOk(response, 'Gotify')
  },
})
