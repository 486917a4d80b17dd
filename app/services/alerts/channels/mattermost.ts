import vine from '@vinejs/vine'
import { textOf } from '#services/alerts/message'
import { defineChannelKind, postJsonMessage } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'

/** A channel's name as in its URL (`town-square`), or `@user` for a direct message */
const CHANNEL_RE = /^@?[a-z0-9][a-z0-9._-]{0,63}$/

export default defineChannelKind({
  name: 'mattermost',
  label: 'Mattermost',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({ description: 'The incoming webhook (…/hooks/<key>)' }),
    username: vine.string().trim().minLength(1).maxLength(64).optional().meta({
      description:
        'Posts under this name (the server\'s "Enable integrations to override usernames" must be on)',
    }),
    channel: vine.string().trim().regex(CHANNEL_RE).optional().meta({
      description: "Another channel than the webhook's: its name as in its URL, or @user",
    }),
  }),
  messages: {
    'username.maxLength': 'A Mattermost username override has at most 64 characters',
    'channel.regex':
      'A Mattermost channel is its name as in its URL (town-square: lower-case letters, digits, . _ -), or @user for a direct message',
  },
  example: {
    url: 'https://mattermost.example.com/hooks/xbx9hdkiu3yyrgwnf9cmpz1aqa',
    username: 'ngip',
    channel: 'ops-alerts',
  },
  secrets: { url: 'url-path' },
  form: {
    fields: [
      urlFormField,
      { name: 'username', label: 'Post as', input: 'text', optional: true },
      {
        name: 'channel',
        label: 'Mattermost channel',
        input: 'text',
        optional: true,
        placeholder: 'town-square',
      },
    ],
  },
  /** An incoming-webhook post (developers.mattermost.com/integrate/webhooks/incoming) */
  async send(config, message, options) {
    await postJsonMessage(
      config.url,
      {
        text: textOf(message),
        ...(config.username ? { username: config.username } : {}),
        ...(config.channel ? { channel: config.channel } : {}),
      },
      options,
      'Mattermost'
    )
  },
})
