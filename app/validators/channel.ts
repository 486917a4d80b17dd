import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { text } from '#validators/rules'

const url = () =>
  text()
    .trim()
    .maxLength(2000)
    // single-label hosts too (a compose service, localhost): whether a host may
    // be reached is INTEGRATIONS_ALLOW_PRIVATE_IPS's to say, not the syntax's
    .url({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })

/**
 * What a webhook may hold, written once for the validator, its messages and
 * the API document: how many headers, how long a header's name and value,
 * how long the body template.
 */
export const WEBHOOK_LIMITS = { headers: 20, headerName: 64, headerValue: 1000, body: 10_000 }

/** An HTTP header name: RFC 9110 token characters */
export const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const HEADER_NAME_RULE = `1 to ${WEBHOOK_LIMITS.headerName} letters, digits and ! # $ % & ' * + - . ^ _ \` | ~`
export const NTFY_TOPIC_RE = /^[\w-]{1,64}$/
/** Sent in a header: printable ASCII, as ntfy's tokens are */
export const NTFY_TOKEN_RE = /^[\x21-\x7e]+$/

/** No control characters but tabs: a value is one line */
const ONE_LINE_RE = /^(?:\t|\P{Cc})*$/u

const headers = vine
  .record(text().maxLength(WEBHOOK_LIMITS.headerValue).regex(ONE_LINE_RE))
  .maxLength(WEBHOOK_LIMITS.headers)
  .validateKeys((names, field) => {
    const bad = names.find(
      (name) => name.length > WEBHOOK_LIMITS.headerName || !HEADER_NAME_RE.test(name)
    )
    if (bad !== undefined) {
      const shown = bad.slice(0, WEBHOOK_LIMITS.headerName).toWellFormed()
      field.report(
        `A header name has ${HEADER_NAME_RULE} ("${shown}" does not)`,
        'headerName',
        field
      )
    }
  })

/**
 * The config shape of each kind of Channel.
 */
const configs = {
  webhook: vine.object({
    url: url(),
    method: vine.enum(['GET', 'POST', 'PUT', 'PATCH'] as const).optional(),
    headers: headers.optional(),
    body: text().maxLength(WEBHOOK_LIMITS.body).optional(),
  }),
  email: vine.object({
    to: text().trim().email().maxLength(254),
  }),
  slack: vine.object({
    url: url(),
  }),
  ntfy: vine.object({
    url: url(),
    topic: vine.string().trim().regex(NTFY_TOPIC_RE),
    token: vine.string().maxLength(200).regex(NTFY_TOKEN_RE).optional(),
  }),
}

export type ChannelKindName = keyof typeof configs
export const CHANNEL_KINDS = Object.keys(configs) as ChannelKindName[]

export const createChannelValidator = vine.create({
  kind: vine.enum(CHANNEL_KINDS),
  name: text().trim().minLength(1).maxLength(100),
  config: vine.object({}).allowUnknownProperties(),
})

export const updateChannelValidator = vine.create({
  name: text().trim().minLength(1).maxLength(100).optional(),
  config: vine.object({}).allowUnknownProperties().optional(),
})

/**
 * Validators of `{ config }` per kind, so errors name `config.<field>`.
 */
export const channelConfigValidators = {
  webhook: vine.create({ config: configs.webhook }),
  email: vine.create({ config: configs.email }),
  slack: vine.create({ config: configs.slack }),
  ntfy: vine.create({ config: configs.ntfy }),
}

const configMessages = new SimpleMessagesProvider({
  'config.headers.record.maxLength': `A webhook has at most ${WEBHOOK_LIMITS.headers} headers`,
  'config.headers.*.maxLength': `A header value has at most ${WEBHOOK_LIMITS.headerValue} characters`,
  'config.headers.*.regex': 'A header value is one line, without control characters',
  'config.headers.*.wellFormed':
    'A header value must be valid Unicode text (it holds a lone UTF-16 surrogate)',
  'config.topic.regex': 'An ntfy topic has 1 to 64 letters, digits, - and _',
  'config.token.regex': 'An ntfy access token has printable ASCII characters only, no spaces',
})
for (const validator of Object.values(channelConfigValidators)) {
  validator.messagesProvider = configMessages
}
