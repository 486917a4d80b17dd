import vine from '@vinejs/vine'
import { textOf } from '#services/alerts/message'
import { defineChannelKind, postJsonMessage } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'

/** An emoji by its short name, as Rocket.Chat writes it (`:rotating_light:`) */
const EMOJI_RE = /^:[\w+-]{1,64}:$/
/** `#channel` or `@user` */
const CHANNEL_RE = /^[#@][^\s#@]{1,100}$/

export default defineChannelKind({
  name: 'rocketchat',
  label: 'Rocket.Chat',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({ description: 'The incoming webhook (…/hooks/<id>/<token>)' }),
    alias: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(64)
      .optional()
      .meta({ description: 'The name shown as the sender' }),
    emoji: vine
      .string()
      .trim()
      .regex(EMOJI_RE)
      .optional()
      .meta({ description: 'An emoji as the avatar, :name:' }),
    channel: vine
      .string()
      .trim()
      .regex(CHANNEL_RE)
      .optional()
      .meta({ description: "Another room than the webhook's: #channel or @user" }),
  }),
  messages: {
    'alias.maxLength': 'A Rocket.Chat alias has at most 64 characters',
    'emoji.regex': 'A Rocket.Chat emoji is written with colons, as :rotating_light:',
    'channel.regex': 'A Rocket.Chat channel is #channel, or @user for a direct message',
  },
  example: {
    url: 'https://chat.example.com/hooks/6592fa4cb2eb1a0c/Ab8bQxWtR4yqz3KcvCmDnEfG',
    alias: 'ngip',
    emoji: ':rotating_light:',
    channel: '#ops-alerts',
  },
  secrets: { url: 'url-path' },
  form: {
    fields: [
      urlFormField,
      { name: 'alias', label: 'Alias', input: 'text', optional: true },
      {
        name: 'emoji',
        label: 'Emoji',
        input: 'text',
        optional: true,
        placeholder: ':rotating_light:',
      },
      {
        name: 'channel',
        label: 'Rocket.Chat room',
        input: 'text',
        optional: true,
        placeholder: '#general',
      },
    ],
  },
  /** An incoming-webhook message (docs.rocket.chat, Integrations: incoming) */
  async send(config, message, options) {
    await postJsonMessage(
      config.url,
      {
        text: textOf(message),
        ...(config.alias ? { alias: config.alias } : {}),
        ...(config.emoji ? { emoji: config.emoji } : {}),
        ...(config.channel ? { channel: config.channel } : {}),
      },
      options,
      'Rocket.Chat'
    )
  },
})
