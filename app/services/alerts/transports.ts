import type Channel from '#models/channel'
import type { AlertMessage } from '#services/alerts/message'
import { channelKind } from '#services/alerts/channels/index'
import type { TransportOptions } from '#services/alerts/channels/kind'

export type { TransportOptions }

/**
 * Sends a message through a Channel, as its kind sends; throws with a
 * readable reason on failure.
 */
export async function deliver(channel: Channel, message: AlertMessage, options: TransportOptions) {
  await channelKind(channel.kind).send(channel.config, message, options)
}
