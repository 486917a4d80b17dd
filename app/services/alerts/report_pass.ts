import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import SendReport from '#jobs/send_report'
import { nextReportAt, reportPeriodStart, type ReportPeriod } from '#models/report_schedule'

/**
 * Users whose report is due, by the partial index on `report_next_at`. A row another pass
 * holds is skipped, and one it has just moved on fails `report_next_at <= now` when
 * PostgreSQL re-reads it to lock it: each period is claimed by one pass.
 */
const DUE = `
SELECT id, is_disabled, report_period, report_hour, report_tz, report_next_at FROM users
WHERE report_next_at <= ?
ORDER BY report_next_at
LIMIT ?
FOR UPDATE SKIP LOCKED`

interface DueUser {
  id: number
  is_disabled: boolean
  report_period: ReportPeriod
  report_hour: number
  report_tz: string
  report_next_at: Date
}

/**
 * The scheduler's report pass: each User whose report is due gets one mail for the period
 * ending at `report_next_at`, queued in the transaction that moves `report_next_at` to the
 * next report moment after now (missed periods are not caught up: one report, then on time).
 */
export class ReportPass {
  constructor(private chunkSize = 200) {}

  /** Queues every report due at `now`; returns how many */
  async runOnce(now: Date = new Date()): Promise<number> {
    let total = 0
    for (;;) {
      const { queued, seen } = await db.transaction((trx) => this.#chunk(trx, now))
      total += queued
      if (seen < this.chunkSize) {
        return total
      }
    }
  }

  async #chunk(trx: QueryClientContract, now: Date) {
    const { rows } = (await trx.rawQuery(DUE, [now, this.chunkSize])) as { rows: DueUser[] }
    let queued = 0
    for (const user of rows) {
      const settings = { period: user.report_period, hour: user.report_hour, tz: user.report_tz }
      const end = user.report_next_at
      if (!user.is_disabled && user.report_period !== 'off') {
        const start = reportPeriodStart(user.report_period, user.report_tz, end)
        await SendReport.dispatch({
          userId: user.id,
          start: start.toISOString(),
          end: end.toISOString(),
        })
          .dedup({ id: `report-${user.id}-${end.getTime()}`, ttl: '1d' })
          .run()
        queued++
      }
      const next = nextReportAt(settings, now)
      await trx
        .from('users')
        .where('id', user.id)
        .update({ report_next_at: next ? next.toISOString() : null })
    }
    return { queued, seen: rows.length }
  }
}
