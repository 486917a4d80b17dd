import { HEADER_NAME_RE, NTFY_TOKEN_RE, NTFY_TOPIC_RE, WEBHOOK_LIMITS } from '#validators/channel'
import { PLACEHOLDERS } from '#services/alerts/template'
import { HIDDEN } from '#transformers/channel_transformer'

const placeholders = PLACEHOLDERS.map((name) => `$${name}`).join(' ')

/**
 * The config of a Channel: which fields each kind takes, with the limits
 * of #validators/channel.
 */
export const channelConfig = {
  description:
    'webhook: url, method, headers, body; email: to; slack: url; ntfy: url, topic, token. ' +
    'Read-only API keys see it without credentials: token, ntfy topic and header values hidden, ' +
    'URLs cut to their origin.',
  type: 'object',
  example: { url: 'https://hooks.example.com/ngip', method: 'POST' },
  properties: {
    url: {
      type: 'string',
      maxLength: 2000,
      description: `webhook, slack, ntfy (the server). A webhook URL may use ${placeholders}, URL-encoded`,
    },
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH'], default: 'POST' },
    headers: {
      type: 'object',
      description:
        `webhook: at most ${WEBHOOK_LIMITS.headers} headers. Values may use the placeholders; ` +
        'a value that is not printable ASCII once filled is sent as RFC 2047 encoded words ' +
        '(=?UTF-8?B?…?=)',
      maxProperties: WEBHOOK_LIMITS.headers,
      propertyNames: {
        pattern: HEADER_NAME_RE.source,
        maxLength: WEBHOOK_LIMITS.headerName,
      },
      additionalProperties: {
        type: 'string',
        maxLength: WEBHOOK_LIMITS.headerValue,
        description: 'One line: no control characters but tabs',
      },
    },
    body: {
      type: 'string',
      maxLength: WEBHOOK_LIMITS.body,
      description:
        `webhook: a template that may use ${placeholders}. A template that is a JSON object ` +
        'or array once each placeholder is a string is sent as application/json, each value ' +
        'escaped (a placeholder outside quotes becomes a JSON string); any other as text/plain. ' +
        'Left out: the message as JSON',
    },
    to: { type: 'string', format: 'email', maxLength: 254, description: 'email' },
    topic: {
      type: 'string',
      pattern: NTFY_TOPIC_RE.source,
      description: 'ntfy; published as JSON to the server root',
    },
    token: {
      type: 'string',
      maxLength: 200,
      pattern: NTFY_TOKEN_RE.source,
      description: 'ntfy access token (sent as Bearer)',
    },
  },
}

/**
 * The config as the API answers it: what a read-only key sees hidden
 * (HIDDEN) stands where a topic would be.
 */
export const channelConfigAnswer = {
  ...channelConfig,
  properties: {
    ...channelConfig.properties,
    topic: {
      ...channelConfig.properties.topic,
      pattern: `(${NTFY_TOPIC_RE.source})|^${HIDDEN.replace(/\*/g, '\\*')}$`,
    },
  },
}
