import { DateTime } from 'luxon'
import { nextExpected } from '#models/token_state'
import { isValidCron, isValidTimeZone } from '#validators/token'

export type SchedulePreview = { ok: true; runs: string[] } | { ok: false; error: string }

/**
 * The next expected runs of a cron schedule, written in its time zone, for
 * the Token form's live preview.
 */
export function previewCron(
  schedule: string,
  tz: string,
  count = 5,
  from = new Date()
): SchedulePreview {
  if (!isValidCron(schedule)) {
    return { ok: false, error: 'Not a 5-field cron expression yet' }
  }
  if (!isValidTimeZone(tz)) {
    return { ok: false, error: 'Unknown time zone' }
  }
  const runs: string[] = []
  let at = from
  for (let i = 0; i < count; i++) {
    at = nextExpected({ kind: 'cron', timeout: 0, schedule, tz }, at)
    runs.push(DateTime.fromJSDate(at, { zone: tz }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ'))
  }
  return { ok: true, runs }
}
