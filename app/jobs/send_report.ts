import { Job, exponentialBackoff } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import { sendReport } from '#services/alerts/report'

interface SendReportPayload {
  userId: number
  /** The period reported, ISO times */
  start: string
  end: string
}

/**
 * Mails one User's report of one period; a failure (the SMTP server away) is
 * retried with exponential backoff.
 */
export default class SendReport extends Job<SendReportPayload> {
  static options: JobOptions = {
    queue: 'default',
    retry: {
      maxRetries: 5,
      backoff: () => exponentialBackoff({ baseDelay: '30s', maxDelay: '30m' })(),
    },
  }

  async execute() {
    const { userId, start, end } = this.payload
    await sendReport(userId, new Date(start), new Date(end))
  }
}
