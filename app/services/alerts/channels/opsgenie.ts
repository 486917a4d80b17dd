import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { subjectOf, textOf, describeReason } from '#services/alerts/message'
import { defineChannelKind, expectOk, serviceUrl } from '#services/alerts/channels/kind'

const REGIONS = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const
const API_KEY_RE = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i

export default defineChannelKind({
  name: 'opsgenie',
  label: 'Opsgenie',
  reaches: 'http',
  hosts: ['api.opsgenie.com', 'api.eu.opsgenie.com'],
  config: vine.object({
    api_key: vine
      .string()
      .trim()
      .regex(API_KEY_RE)
      .meta({ description: 'The key of an API integration (sent as GenieKey)' }),
    region: vine
      .enum(Object.keys(REGIONS) as (keyof typeof REGIONS)[])
      .optional()
      .meta({ description: "The account's region: us (api.opsgenie.com) or eu", default: 'us' }),
  }),
  messages: {
    'api_key.regex': 'An Opsgenie API key is a UUID, from an API integration of a team',
    'region.enum': 'The Opsgenie region is us or eu',
  },
  example: { api_key: '01234567-89ab-cdef-0123-456789abcdef', region: 'eu' },
  secrets: { api_key: 'whole' },
  form: {
    fields: [
      {
        name: 'api_key',
        label: 'API key',
        input: 'text',
        autocomplete: 'off',
        hint: 'A team\'s Integrations → Add integration → "API": its API key',
      },
      {
        name: 'region',
        label: 'Region',
        input: 'select',
        options: [
          { value: 'us', label: 'US (api.opsgenie.com)' },
          { value: 'eu', label: 'EU (api.eu.opsgenie.com)' },
        ],
      },
    ],
  },
  sendsTo: (config) => `Opsgenie (${(config.region ?? 'us').toUpperCase()})`,
  /**
   * Alert API (docs.opsgenie.com, "Alert API"): a down or warning creates an
   * alert, an up closes it; the Token's uuid is the alias, so Opsgenie keeps
   * one open alert per Token. Opsgenie answers 202.
   */
  async send(config, message, options) {
    const origin = REGIONS[config.region ?? 'us']
    const headers = {
      'content-type': 'application/json',
      'authorization': `GenieKey ${config.api_key}`,
    }
    const alias = message.uuid
    const request =
      message.status === 'up'
        ? {
            path: `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`,
            body: { source: 'ngip', note: textOf(message).slice(0, 25_000) },
          }
        : {
            path: '/v2/alerts',
            body: {
              message: subjectOf(message).slice(0, 130),
              alias,
              description: textOf(message).slice(0, 15_000),
              priority: message.status === 'down' ? 'P1' : 'P3',
              tags: message.tags.slice(0, 20).map((tag) => tag.slice(0, 50)),
              details: {
                reason: describeReason(message.reason),
                ping_url: message.pingUrl,
              },
              source: 'ngip',
            },
          }
    const response = await safeRequest({
      method: 'POST',
      url: serviceUrl(origin, request.path),
      headers,
      body: JSON.stringify(request.body),
      ...options,
    })
    expectOk(response, 'Opsgenie')
  },
})
