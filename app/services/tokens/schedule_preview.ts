import { DateTime } from 'luxon'
import { nextExpected } from '#models/token_state'
import type { ScheduleSyntax } from '#models/token_schedule'
import { isValidTimeZone, tokenScheduleError } from '#validators/token'

export type SchedulePreview = { ok: true; runs: string[] } | { ok: false; error: string }

/**
 * The next expected runs of a cron or OnCalendar schedule, written in its
 * time zone, for the Token form's live preview; or what is wrong with it, in
 * the words the form's validation uses.
 */
export function previewSchedule(
  kind: ScheduleSyntax,
  schedule: string,
  tz: string,
  count = 5,
  from = new Date()
): SchedulePreview {
  const error = tokenScheduleError(schedule, kind, from)
  if (error !== null) {
    const name = kind === 'cron' ? 'The cron expression' : 'The OnCalendar expression'
    return { ok: false, error: `${name} ${error}` }
  }
  if (!isValidTimeZone(tz)) {
    return { ok: false, error: 'Unknown time zone' }
  }
  const runs: string[] = []
  let at: Date | null = from
  for (let i = 0; i < count; i++) {
    at = nextExpected({ kind, timeout: 0, schedule, tz }, at)
    if (at === null) break
    runs.push(DateTime.fromJSDate(at, { zone: tz }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ'))
  }
  return { ok: true, runs }
}
