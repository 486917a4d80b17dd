import { CronExpressionParser } from 'cron-parser'
import { nextFire, parseOnCalendar, type ParsedCalendar } from '#lib/oncalendar'

/**
 * A Token's (or a maintenance window's) calendar schedule: a cron line, with
 * the `@daily`-style nicknames, or a systemd OnCalendar expression, read in a
 * time zone held beside it. Pure, as token_state.ts is.
 */
export type ScheduleSyntax = 'cron' | 'oncalendar'

/** The cron nicknames taken, as the five fields they stand for (Vixie cron's) */
export const CRON_NICKNAMES: Readonly<Record<string, string>> = Object.freeze({
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
})

/**
 * Which syntax a schedule is in when nothing says: five space-separated
 * fields or an `@` nickname make a cron line; an OnCalendar expression has
 * at most three parts (weekdays, date, time).
 */
export function scheduleSyntax(schedule: string): ScheduleSyntax {
  const trimmed = schedule.trim()
  return trimmed.startsWith('@') || trimmed.split(/\s+/).length === 5 ? 'cron' : 'oncalendar'
}

/** A cron line with its nickname spelled out as five fields. */
export function cronFields(schedule: string): string {
  const trimmed = schedule.trim()
  return CRON_NICKNAMES[trimmed.toLowerCase()] ?? trimmed
}

const NICKNAMES_TEXT = '@yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly'

/**
 * What is wrong with a cron line, or null when it is fine. A line that names
 * a day no month it allows has (`0 0 31 2 *`) is refused as never firing.
 */
export function cronError(schedule: string): string | null {
  const trimmed = schedule.trim()
  if (trimmed.startsWith('@') && !(trimmed.toLowerCase() in CRON_NICKNAMES)) {
    return `is not a cron nickname this takes: use ${NICKNAMES_TEXT}`
  }
  const fields = cronFields(trimmed)
  if (fields.split(/\s+/).length !== 5) {
    return 'must be a valid 5-field cron expression'
  }
  try {
    CronExpressionParser.parse(fields, { strict: false, tz: 'UTC' }).next()
    return null
  } catch (error) {
    // cron-parser's words for a day of the month that the months never reach
    if (error instanceof Error && /day of month/i.test(error.message)) {
      return 'never fires: no month it names has that day (such as 0 0 31 2 *)'
    }
    return 'must be a valid 5-field cron expression'
  }
}

const parsedCalendars = new Map<string, ParsedCalendar>()

/** Parsed once per distinct expression: late passes and batches ask the same ones again and again. */
export function calendarOf(expression: string): ParsedCalendar {
  let parsed = parsedCalendars.get(expression)
  if (!parsed) {
    if (parsedCalendars.size >= 1000) parsedCalendars.clear()
    parsed = parseOnCalendar(expression)
    parsedCalendars.set(expression, parsed)
  }
  return parsed
}

/** What is wrong with an OnCalendar expression at `now`, or null when it is fine. */
export function onCalendarError(schedule: string, now = new Date()): string | null {
  const parsed = calendarOf(schedule.trim())
  if (!parsed.ok) {
    return `is not a valid OnCalendar expression: ${parsed.error}`
  }
  // UTC is close enough here: the check is for a date that is gone, not for an hour
  return nextFire(parsed.event, now, 'UTC') === null
    ? 'never fires again: its last date is past'
    : null
}

/** What is wrong with a schedule read in `syntax`, or null when it is fine. */
export function scheduleError(syntax: ScheduleSyntax, schedule: string, now = new Date()) {
  return syntax === 'cron' ? cronError(schedule) : onCalendarError(schedule, now)
}

/**
 * The first run strictly after `from` on the clocks of `tz`; null when the
 * schedule runs no more. Throws on a line the parser rejects or an unknown zone.
 */
export function nextRun(syntax: ScheduleSyntax, schedule: string, tz: string, from: Date) {
  if (syntax === 'oncalendar') {
    const parsed = calendarOf(schedule.trim())
    if (!parsed.ok) throw new SyntaxError(parsed.error)
    return nextFire(parsed.event, from, tz)
  }
  return CronExpressionParser.parse(cronFields(schedule), { currentDate: from, tz }).next().toDate()
}
