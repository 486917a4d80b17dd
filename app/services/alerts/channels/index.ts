import type { ChannelKindDefinition, ConfigSchema } from '#services/alerts/channels/kind'
import webhook from '#services/alerts/channels/webhook'
import email from '#services/alerts/channels/email'
import slack from '#services/alerts/channels/slack'
import ntfy from '#services/alerts/channels/ntfy'
import discord from '#services/alerts/channels/discord'
import telegram from '#services/alerts/channels/telegram'
import teams from '#services/alerts/channels/teams'
import pagerduty from '#services/alerts/channels/pagerduty'
import opsgenie from '#services/alerts/channels/opsgenie'
import pushover from '#services/alerts/channels/pushover'
import gotify from '#services/alerts/channels/gotify'
import matrix from '#services/alerts/channels/matrix'
import mattermost from '#services/alerts/channels/mattermost'
import rocketchat from '#services/alerts/channels/rocketchat'

/**
 * The Channel kinds, in the order the form lists them. Everything that
 * names a kind (the model's type, the validators, the form, the
 * redaction, the delivery, the API document) derives from this list: a
 * new kind is one file beside this one and one line here.
 */
export const CHANNEL_KINDS = [
  webhook,
  email,
  slack,
  ntfy,
  discord,
  telegram,
  teams,
  pagerduty,
  opsgenie,
  pushover,
  gotify,
  matrix,
  mattermost,
  rocketchat,
] as const

export type ChannelKind = (typeof CHANNEL_KINDS)[number]['name']
type RegisteredKind = ChannelKind

declare module '#models/channel' {
  // The model's `kind` is one of these names.
  interface ChannelKindRegistry extends Record<RegisteredKind, true> {}
}

/** A kind seen from code that handles any of them */
export type AnyChannelKind = ChannelKindDefinition<ChannelKind, ConfigSchema>

export const CHANNEL_KIND_NAMES = CHANNEL_KINDS.map((kind) => kind.name) as ChannelKind[]

/** The kinds for code that handles any of them alike */
export const ANY_CHANNEL_KINDS = CHANNEL_KINDS as readonly unknown[] as readonly AnyChannelKind[]

const byName = new Map(ANY_CHANNEL_KINDS.map((kind) => [kind.name as string, kind]))

export function isChannelKind(name: unknown): name is ChannelKind {
  return typeof name === 'string' && byName.has(name)
}

/** What the Channel list shows under "Sends to" for a Channel's config */
export function sendsTo(kind: ChannelKind, config: Record<string, unknown>) {
  const own = isChannelKind(kind) ? channelKind(kind).sendsTo : undefined
  if (own) {
    return own(config)
  }
  const where = String(config.to ?? config.url ?? '')
  return config.topic ? `${where}/${config.topic}` : where
}

/** The kind of a name; throws for a name that is none (a row the registry no longer knows) */
export function channelKind(name: ChannelKind): AnyChannelKind {
  const kind = byName.get(name)
  if (!kind) {
    throw new Error(`Unknown Channel kind "${name}"`)
  }
  return kind
}
