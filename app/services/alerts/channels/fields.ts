import { text } from '#validators/rules'
import type { ChannelFormField } from '#services/alerts/channels/kind'

/**
 * The URL field several kinds share: one rule, one form input. What the API
 * document says of it is the kind's (`.meta({ description })`).
 */
export const URL_MAX_LENGTH = 2000

export const channelUrl = () =>
  text()
    .trim()
    .maxLength(URL_MAX_LENGTH)
    // single-label hosts too (a compose service, localhost): whether a host may
    // be reached is INTEGRATIONS_ALLOW_PRIVATE_IPS's to say, not the syntax's
    .url({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })

export const urlFormField: ChannelFormField<'url'> = {
  name: 'url',
  label: 'URL',
  input: 'url',
  placeholder: 'https://',
}
