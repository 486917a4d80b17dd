import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { subjectOf, textOf } from '#services/alerts/message'
import { defineChannelKind, expectOk } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'

const TOPIC_RE = /^[\w-]{1,64}$/
/** Sent in a header: printable ASCII, as ntfy's tokens are */
const TOKEN_RE = /^[\x21-\x7e]+$/

export default defineChannelKind({
  name: 'ntfy',
  label: 'ntfy',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({ description: 'The server' }),
    topic: vine
      .string()
      .trim()
      .regex(TOPIC_RE)
      .meta({ description: 'Published as JSON to the server root' }),
    token: vine
      .string()
      .maxLength(200)
      .regex(TOKEN_RE)
      .optional()
      .meta({ description: 'An access token (sent as Bearer)' }),
  }),
  messages: {
    'topic.regex': 'An ntfy topic has 1 to 64 letters, digits, - and _',
    'token.regex': 'An ntfy access token has printable ASCII characters only, no spaces',
  },
  example: { url: 'https://ntfy.example.com', topic: 'ops-alerts', token: 'tk_0123abcd' },
  // A topic is a secret in itself on a public server.
  secrets: { url: 'url-path', topic: 'whole', token: 'whole' },
  form: {
    fields: [
      urlFormField,
      { name: 'topic', label: 'Topic', input: 'text' },
      { name: 'token', label: 'Access token', input: 'text', optional: true, autocomplete: 'off' },
    ],
  },
  /**
   * Published as JSON to the server's root (docs.ntfy.sh/publish, "Publish as
   * JSON"), so a title in any script needs no header encoding.
   */
  async send(config, message, options) {
    const down = message.status === 'down'
    const warning = message.status === 'warning'
    const body = JSON.stringify({
      topic: config.topic,
      title: subjectOf(message),
      message: textOf(message),
      priority: down ? 4 : 3,
      tags: [down ? 'rotating_light' : warning ? 'warning' : 'white_check_mark'],
    })
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (config.token) {
      headers.authorization = `Bearer ${config.token}`
    }
    const url = `${String(config.url).replace(/\/+$/, '')}/`
    const response = await safeRequest({ method: 'POST', url, headers, body, ...options })
    expectOk(response, 'ntfy')
  },
})
