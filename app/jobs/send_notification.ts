import { Job, exponentialBackoff } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import config from '@adonisjs/core/services/config'
import logger from '@adonisjs/core/services/logger'
import Notifier from '#services/alerts/notifier'
import { DeliveryError } from '#services/alerts/channels/kind'

interface SendNotificationPayload {
  flipId: number
  channelId: string
  /** Tries made by the jobs before this one (a 429 queues the next try as a new job) */
  triedBefore?: number
  /** A repeat of the Flip's down notice (reminders.ts): ISO times */
  reminder?: { downSince: string; at: string }
}

const MAX_RETRIES = 5

/**
 * Delivers one Flip (or a reminder of it) to one Channel; a failure is recorded
 * on the Channel (Notifier) and then, as the receiver's answer says (DeliveryError):
 * - a 4xx other than 408 and 429 is permanent: no further try;
 * - a 429 with Retry-After is tried again that long after (at most an hour), as a
 *   new job queued with that delay (the queue's backoff cannot be told a delay);
 * - anything else (5xx, no answer) is retried with exponential backoff.
 * Either way a delivery gets at most MAX_RETRIES + 1 tries in all.
 */
export default class SendNotification extends Job<SendNotificationPayload> {
  static options: JobOptions = {
    queue: 'default',
    retry: {
      maxRetries: MAX_RETRIES,
      backoff: () =>
        exponentialBackoff({
          baseDelay: config.get<number>('ngip.notifications.retryBaseDelayMs'),
          maxDelay: '10m',
        })(),
    },
  }

  async execute() {
    const { flipId, channelId, triedBefore = 0, reminder } = this.payload
    try {
      await Notifier.deliverFlip(
        flipId,
        channelId,
        reminder && { downSince: new Date(reminder.downSince), at: new Date(reminder.at) }
      )
    } catch (error) {
      const tried = triedBefore + this.context.attempt
      const context = { flip: flipId, channel: channelId, tries: tried }
      if (error instanceof DeliveryError && error.permanent) {
        logger.warn(context, 'notification not retried: the receiver refused it')
        return
      }
      if (tried > MAX_RETRIES) {
        logger.warn(context, 'notification given up')
        return
      }
      if (error instanceof DeliveryError && error.retryAfterMs !== undefined) {
        // The dedup id is this try's: a crash after queueing it queues it only once.
        await SendNotification.dispatch({ flipId, channelId, reminder, triedBefore: tried })
          .in(Math.max(error.retryAfterMs, 1))
          .dedup({
            id: `flip-${flipId}-${channelId}${reminder ? `-at-${reminder.at}` : ''}-try-${tried + 1}`,
            ttl: '1d',
          })
          .run()
        logger.info({ ...context, waitMs: error.retryAfterMs }, 'notification tried again later')
        return
      }
      throw error
    }
  }
}
