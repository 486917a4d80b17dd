import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { text } from '#validators/rules'
import {
  CHANNEL_KINDS,
  CHANNEL_KIND_NAMES,
  type ChannelKind,
} from '#services/alerts/channels/index'

/** How often a down notice may repeat: 5 minutes to 7 days */
export const REPEAT_INTERVAL = { min: 300, max: 7 * 86_400 } as const

/** The choices the admin UI offers; the API takes any number of seconds in REPEAT_INTERVAL */
export const REPEAT_CHOICES = [
  { seconds: 600, label: 'every 10 minutes' },
  { seconds: 1800, label: 'every 30 minutes' },
  { seconds: 3600, label: 'every hour' },
  { seconds: 6 * 3600, label: 'every 6 hours' },
  { seconds: 86_400, label: 'every day' },
] as const

const repeatInterval = () =>
  vine
    .number()
    .withoutDecimals()
    .range([REPEAT_INTERVAL.min, REPEAT_INTERVAL.max])
    .nullable()
    .optional()
    .meta({
      description:
        'Seconds between repeats of a down notice while the Token stays down (a reminder that says how long it has been down; none while it is paused, in a maintenance window or silenced by a down parent). Null: the notice is sent once',
      example: 3600,
    })

export const createChannelValidator = vine.create({
  kind: vine.enum(CHANNEL_KIND_NAMES),
  name: text().trim().minLength(1).maxLength(100),
  config: vine.object({}).allowUnknownProperties(),
  repeat_interval: repeatInterval(),
})

export const updateChannelValidator = vine.create({
  name: text().trim().minLength(1).maxLength(100).optional(),
  config: vine.object({}).allowUnknownProperties().optional(),
  repeat_interval: repeatInterval(),
})

function configValidator(kind: (typeof CHANNEL_KINDS)[number]) {
  const validator = vine.create({ config: kind.config })
  const messages = Object.entries(kind.messages ?? {}).map(([key, message]) => [
    `config.${key}`,
    message,
  ])
  validator.messagesProvider = new SimpleMessagesProvider(Object.fromEntries(messages))
  return validator
}

/**
 * Validators of `{ config }` per kind, from the kinds' own config rules, so
 * errors name `config.<field>`.
 */
export const channelConfigValidators = Object.fromEntries(
  CHANNEL_KINDS.map((kind) => [kind.name, configValidator(kind)])
) as Record<ChannelKind, ReturnType<typeof configValidator>>
