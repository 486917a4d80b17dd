import type User from '#models/user'
import { BaseTransformer } from '@adonisjs/core/transformers'
import { REPORT_PERIODS } from '#models/report_schedule'
import { answer, dateTime, nullable } from '#services/api_docs/schema_types'

/** A User's email report settings, and when the next report is due */
export default class ReportTransformer extends BaseTransformer<User> {
  toObject() {
    const user = this.resource
    return {
      period: user.reportPeriod,
      hour: user.reportHour,
      tz: user.reportTz,
      next_at: user.reportNextAt?.toUTC().toISO() ?? null,
    }
  }
}

/** The API document's report settings: what `toObject` returns */
export const reportSchema = answer<ReturnType<ReportTransformer['toObject']>>({
  period: { type: 'string', enum: REPORT_PERIODS, example: 'weekly' },
  hour: { type: 'integer', minimum: 0, maximum: 23, example: 8 },
  tz: { type: 'string', example: 'UTC' },
  next_at: {
    ...nullable(dateTime),
    description: 'When the next report is sent (the end of the period it covers); null while off',
  },
})
