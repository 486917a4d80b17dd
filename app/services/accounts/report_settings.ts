import { DateTime } from 'luxon'
import type User from '#models/user'
import { nextReportAt, type ReportSettings } from '#models/report_schedule'

/**
 * A User's email report settings: saving them sets when the next report is
 * due (null while off), which is all the scheduler's pass looks at.
 */
export async function saveReportSettings(
  user: User,
  settings: ReportSettings,
  now: Date = new Date()
) {
  user.reportPeriod = settings.period
  user.reportHour = settings.hour
  user.reportTz = settings.tz
  const next = nextReportAt(settings, now)
  user.reportNextAt = next ? DateTime.fromJSDate(next) : null
  await user.save()
  return user
}
