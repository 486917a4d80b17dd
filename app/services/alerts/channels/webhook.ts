import vine from '@vinejs/vine'
import { text } from '#validators/rules'
import { PLACEHOLDERS, renderJsonTemplate, renderTemplate } from '#services/alerts/template'
import { headerValue } from '#services/alerts/header_value'
import { safeRequest } from '#services/alerts/safe_http'
import { subjectOf, type AlertMessage } from '#services/alerts/message'
import { defineChannelKind, expectOk } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'
import {
  HEADER_NAMES_SCHEMA,
  WEBHOOK_LIMITS,
  headersMessages,
  headersRule,
  parseHeaders,
} from '#services/alerts/channels/webhook_headers'

const placeholders = PLACEHOLDERS.map((name) => `$${name}`).join(' ')
const METHODS = ['GET', 'POST', 'PUT', 'PATCH'] as const

/**
 * A webhook's body: a JSON template (recognised by its shape) is filled with
 * escaped values and sent as JSON; any other is sent as text, escaped for
 * JSON only when the Channel says the body is JSON.
 */
function webhookBody(template: string | undefined, message: AlertMessage, contentType?: string) {
  if (!template) {
    const summary = { ...message, at: message.at.toISOString(), text: subjectOf(message) }
    return { body: JSON.stringify(summary), type: 'application/json' }
  }
  const json = renderJsonTemplate(template, message)
  if (json !== null) {
    return { body: json, type: 'application/json' }
  }
  const escape = contentType?.includes('json') ? 'json' : 'none'
  return { body: renderTemplate(template, message, escape), type: 'text/plain; charset=utf-8' }
}

export default defineChannelKind({
  name: 'webhook',
  label: 'Webhook',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({
      description: `The address; it may use ${placeholders}, URL-encoded`,
    }),
    method: vine.enum(METHODS).optional().meta({ default: 'POST' }),
    headers: headersRule()
      .optional()
      .meta({
        description:
          `At most ${WEBHOOK_LIMITS.headers} headers. Values may use the placeholders; ` +
          'a value that is not printable ASCII once filled is sent as RFC 2047 encoded words ' +
          '(=?UTF-8?B?…?=)',
        propertyNames: HEADER_NAMES_SCHEMA,
      }),
    body: text()
      .maxLength(WEBHOOK_LIMITS.body)
      .optional()
      .meta({
        description:
          `A template that may use ${placeholders}. A template that is a JSON object ` +
          'or array once each placeholder is a string is sent as application/json, each value ' +
          'escaped (a placeholder outside quotes becomes a JSON string); any other as text/plain. ' +
          'Left out: the message as JSON',
      }),
  }),
  messages: headersMessages,
  example: {
    url: 'https://hooks.example.com/ngip',
    method: 'POST',
    headers: { Authorization: 'Bearer 0123abcd' },
  },
  secrets: { url: 'url-path', headers: 'values' },
  form: {
    fields: [
      urlFormField,
      { name: 'method', label: 'Method', input: 'own' },
      { name: 'headers', label: 'Headers', input: 'own', optional: true, parse: parseHeaders },
      { name: 'body', label: 'Body template', input: 'own', optional: true },
    ],
    partial: 'partials/channels/webhook',
    data: { limits: WEBHOOK_LIMITS, methods: ['POST', 'GET', 'PUT', 'PATCH'] },
  },
  async send(config, message, options) {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries<string>(config.headers ?? {})) {
      headers[name.toLowerCase()] = headerValue(renderTemplate(value, message))
    }
    const method = config.method ?? 'POST'
    let body: string | undefined
    if (method !== 'GET') {
      const filled = webhookBody(config.body, message, headers['content-type'])
      headers['content-type'] ??= filled.type
      body = filled.body
    }
    const url = renderTemplate(config.url, message, 'url')
    const response = await safeRequest({ method, url, headers, body, ...options })
    expectOk(response, 'The webhook')
  },
})
