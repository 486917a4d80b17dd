import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { text } from '#validators/rules'

const url = () =>
  text()
    .trim()
    .maxLength(2000)
    // single-label hosts too (a compose service, localhost): whether a host may
    // be reached is INTEGRATIONS_ALLOW_PRIVATE_IPS's to say, not the syntax's
    .url({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })

const headers = vine.record(text().maxLength(1000)).validateKeys((names, field) => {
  if (!names.every((name) => name.isWellFormed())) {
    field.report(
      'A header name must be valid Unicode text (it holds a lone UTF-16 surrogate)',
      'wellFormed',
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
    body: text().maxLength(10_000).optional(),
  }),
  email: vine.object({
    to: text().trim().email().maxLength(254),
  }),
  slack: vine.object({
    url: url(),
  }),
  ntfy: vine.object({
    url: url(),
    topic: vine
      .string()
      .trim()
      .regex(/^[\w-]{1,64}$/),
    // sent in a header: printable ASCII, as ntfy's tokens are
    token: vine
      .string()
      .maxLength(200)
      .regex(/^[\x21-\x7e]+$/)
      .optional(),
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
  'config.headers.*.wellFormed':
    'A header value must be valid Unicode text (it holds a lone UTF-16 surrogate)',
  'config.token.regex': 'An ntfy access token has printable ASCII characters only, no spaces',
})
for (const validator of Object.values(channelConfigValidators)) {
  validator.messagesProvider = configMessages
}
