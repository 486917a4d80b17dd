import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { textOf } from '#services/alerts/message'
import { defineChannelKind, expectOk, serviceUrl } from '#services/alerts/channels/kind'

const API = 'https://api.telegram.org'
/** As @BotFather gives it: the bot's id, a colon, a secret */
const BOT_TOKEN_RE = /^\d{1,20}:[\w-]{20,100}$/
/** A chat's number (a group's is negative) or a public channel's @username */
const CHAT_ID_RE = /^(-?\d{1,20}|@[A-Za-z]\w{3,31})$/
/** Telegram refuses a message longer than this */
const TEXT_MAX = 4096

/** The `parameters.retry_after` (seconds) of a Bot API error answer, in ms */
function bodyRetryAfter(body: string) {
  try {
    const seconds = JSON.parse(body)?.parameters?.retry_after
    return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined
  } catch {
    return undefined
  }
}

export default defineChannelKind({
  name: 'telegram',
  label: 'Telegram',
  reaches: 'http',
  hosts: ['api.telegram.org'],
  config: vine.object({
    bot_token: vine
      .string()
      .trim()
      .regex(BOT_TOKEN_RE)
      .meta({ description: "The bot's token, from @BotFather" }),
    chat_id: vine.string().trim().regex(CHAT_ID_RE).meta({
      description:
        "The chat to write to: its number (a group's is negative) or a public channel's @username; the bot must be a member",
    }),
  }),
  messages: {
    'bot_token.regex':
      'A Telegram bot token is the bot id, a colon and its secret, as @BotFather gives it (123456789:AA…)',
    'chat_id.regex':
      "A Telegram chat id is a chat's number (a group's starts with -) or a channel's @username",
  },
  example: { bot_token: '123456789:AAEhBP0av28kVz3tMVdY8yBx4-example', chat_id: '-1001234567890' },
  secrets: { bot_token: 'whole' },
  form: {
    fields: [
      {
        name: 'bot_token',
        label: 'Bot token',
        input: 'text',
        autocomplete: 'off',
        hint: '@BotFather gives it when you create a bot (/newbot)',
      },
      {
        name: 'chat_id',
        label: 'Chat id',
        input: 'text',
        placeholder: '-1001234567890',
        hint: "Add the bot to the chat, write to it, and read chat.id in the bot's getUpdates; or a public channel's @username",
      },
    ],
  },
  sendsTo: (config) => `Telegram chat ${config.chat_id}`,
  /**
   * sendMessage (core.telegram.org/bots/api#sendmessage), plain text. Telegram
   * says how long to wait after a 429 in the body's `parameters.retry_after`.
   */
  async send(config, message, options) {
    const body = JSON.stringify({
      chat_id: config.chat_id,
      text: textOf(message).slice(0, TEXT_MAX),
      link_preview_options: { is_disabled: true },
    })
    const response = await safeRequest({
      method: 'POST',
      url: serviceUrl(API, `/bot${config.bot_token}/sendMessage`),
      headers: { 'content-type': 'application/json' },
      body,
      ...options,
    })
    expectOk(response, 'Telegram', { retryAfterMs: bodyRetryAfter(response.body) })
  },
})
