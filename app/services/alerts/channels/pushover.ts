import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { subjectOf, textOf } from '#services/alerts/message'
import { defineChannelKind, expectOk, serviceUrl } from '#services/alerts/channels/kind'

/** Application tokens and user (or group) keys: 30 letters and digits */
const KEY_RE = /^[A-Za-z0-9]{30}$/
/** A built-in sound's name (pushover.net/api#sounds) or a custom one's */
const SOUND_RE = /^[\w-]{1,32}$/
/** The form's choices */
const PRIORITIES = [
  { value: '-2', label: '-2: no alert' },
  { value: '-1', label: '-1: quiet' },
  { value: '0', label: '0: normal' },
  { value: '1', label: '1: high, through quiet hours' },
  { value: '2', label: '2: emergency, repeated until acknowledged' },
]
/** What an emergency notice (priority 2) needs: repeat every minute, for an hour, until acknowledged */
const EMERGENCY = { retry: 60, expire: 3600 }
/** pushover.net/api#limits */
const LIMITS = { title: 250, message: 1024 }

export default defineChannelKind({
  name: 'pushover',
  label: 'Pushover',
  sendsTo: (config) => `Pushover (priority ${config.priority ?? 0})`,
  reaches: 'http',
  hosts: ['api.pushover.net'],
  config: vine.object({
    token: vine.string().trim().regex(KEY_RE).meta({ description: "The application's API token" }),
    user: vine
      .string()
      .trim()
      .regex(KEY_RE)
      .meta({ description: 'The user key or group key to notify' }),
    priority: vine
      .number()
      .withoutDecimals()
      .range([-2, 2])
      .optional()
      .meta({
        description:
          'Of down and warning notices, from -2 (no alert) to 2 (emergency: repeated every ' +
          `${EMERGENCY.retry} s for ${EMERGENCY.expire / 3600} h until acknowledged); ` +
          'a recovery is sent at this priority but at most 0',
        default: 0,
      }),
    sound: vine.string().trim().regex(SOUND_RE).optional().meta({
      description: "A sound's name (pushover, siren, none…); the user's own when left out",
    }),
  }),
  messages: {
    'token.regex':
      'A Pushover API token has 30 letters and digits (your application’s page on pushover.net)',
    'user.regex':
      'A Pushover user or group key has 30 letters and digits (your dashboard on pushover.net)',
    'priority.number': 'The Pushover priority is a number from -2 to 2',
    'priority.withoutDecimals': 'The Pushover priority is a whole number from -2 to 2',
    'priority.range': 'The Pushover priority is from -2 to 2',
    'sound.regex': 'A Pushover sound is its name: up to 32 letters, digits, - and _',
  },
  example: {
    token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
    user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
    priority: 1,
    sound: 'siren',
  },
  secrets: { token: 'whole', user: 'whole' },
  form: {
    fields: [
      { name: 'token', label: 'API token', input: 'text', autocomplete: 'off' },
      { name: 'user', label: 'User or group key', input: 'text', autocomplete: 'off' },
      {
        name: 'priority',
        label: 'Pushover priority',
        input: 'own',
        optional: true,
        parse: (text) => (text === '' ? undefined : Number(text)),
      },
      { name: 'sound', label: 'Sound', input: 'text', optional: true, placeholder: 'pushover' },
    ],
    partial: 'partials/channels/pushover',
    data: { priorities: PRIORITIES },
  },
  /**
   * One message through the Messages API (pushover.net/api), as JSON: its
   * host is fixed, CHANNEL_API_BASE_URLS may name another base for it.
   */
  async send(config, message, options) {
    const chosen = config.priority ?? 0
    const priority = message.status === 'up' ? Math.min(chosen, 0) : chosen
    const body = JSON.stringify({
      token: config.token,
      user: config.user,
      title: subjectOf(message).slice(0, LIMITS.title),
      message: textOf(message).slice(0, LIMITS.message),
      priority,
      timestamp: Math.floor(message.at.getTime() / 1000),
      ...(priority === 2 ? EMERGENCY : {}),
      ...(config.sound ? { sound: config.sound } : {}),
    })
    const response = await safeRequest({
      method: 'POST',
      url: serviceUrl('https://api.pushover.net', '/1/messages.json'),
      headers: { 'content-type': 'application/json' },
      body,
      ...options,
    })
    expectOk(response, 'Pushover')
  },
})
