import { DateTime } from 'luxon'
import config from '@adonisjs/core/services/config'
import logger from '@adonisjs/core/services/logger'
import Channel from '#models/channel'
import { deliver } from '#services/alerts/transports'
import { notifications } from '#services/operations/app_metrics'
import { flipMessage, testMessage, type AlertMessage } from '#services/alerts/message'

/**
 * Sends notifications through Channels and records each outcome on the
 * Channel: `last_notify_at` is the last success, `last_error` the last
 * failure with its time, so a flaky receiver stays visible after it recovers.
 */
export default class Notifier {
  static async #send(channel: Channel, message: AlertMessage) {
    try {
      await deliver(channel, message, {
        allowPrivate: config.get<boolean>('ngip.integrationsAllowPrivateIps'),
      })
    } catch (error) {
      notifications.inc({ kind: channel.kind, result: 'failed' })
      const reason = (error as Error).message
      logger.warn(
        { channel: channel.id, kind: channel.kind, error: reason },
        `notification failed: Channel "${channel.name}" (${channel.kind}): ${reason}`
      )
      channel.lastError = `${new Date().toISOString()}: ${reason}`.slice(0, 1000)
      await channel.save()
      throw error
    }
    notifications.inc({ kind: channel.kind, result: 'sent' })
    // The last error stays (with its time) next to the last success.
    channel.lastNotifyAt = DateTime.now()
    await channel.save()
  }

  /**
   * Notifies one Channel of one Flip, or reminds it of a down Flip. Returns
   * false when there is nothing to send any more (the Channel or the Token
   * was deleted meanwhile).
   */
  static async deliverFlip(
    flipId: number,
    channelId: string,
    reminder?: AlertMessage['reminder']
  ): Promise<boolean> {
    const channel = await Channel.find(channelId)
    const message = channel ? await flipMessage(flipId) : null
    if (!channel || !message) {
      return false
    }
    await this.#send(channel, reminder ? { ...message, reminder } : message)
    return true
  }

  /**
   * The "send test notification" action: one attempt, no retries.
   */
  static async sendTest(channel: Channel): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      await this.#send(channel, testMessage())
      return { ok: true }
    } catch (error) {
      return { ok: false, error: (error as Error).message }
    }
  }
}
