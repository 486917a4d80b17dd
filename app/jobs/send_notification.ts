import { Job, exponentialBackoff } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import config from '@adonisjs/core/services/config'
import Notifier from '#services/alerts/notifier'

interface SendNotificationPayload {
  flipId: number
  channelId: string
  /** A repeat of the Flip's down notice (reminders.ts): ISO times */
  reminder?: { downSince: string; at: string }
}

/**
 * Delivers one Flip (or a reminder of it) to one Channel; a failure is
 * recorded on the Channel and retried with exponential backoff.
 */
export default class SendNotification extends Job<SendNotificationPayload> {
  static options: JobOptions = {
    queue: 'default',
    retry: {
      maxRetries: 5,
      backoff: () =>
        exponentialBackoff({
          baseDelay: config.get<number>('ngip.notifications.retryBaseDelayMs'),
          maxDelay: '10m',
        })(),
    },
  }

  async execute() {
    const { flipId, channelId, reminder } = this.payload
    await Notifier.deliverFlip(
      flipId,
      channelId,
      reminder && { downSince: new Date(reminder.downSince), at: new Date(reminder.at) }
    )
  }
}
