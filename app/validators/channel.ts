import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { text } from '#validators/rules'
import {
  CHANNEL_KINDS,
  CHANNEL_KIND_NAMES,
  type ChannelKind,
} from '#services/alerts/channels/index'

export const createChannelValidator = vine.create({
  kind: vine.enum(CHANNEL_KIND_NAMES),
  name: text().trim().minLength(1).maxLength(100),
  config: vine.object({}).allowUnknownProperties(),
})

export const updateChannelValidator = vine.create({
  name: text().trim().minLength(1).maxLength(100).optional(),
  config: vine.object({}).allowUnknownProperties().optional(),
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
