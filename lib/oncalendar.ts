import { nextWall, previousWall } from './calendar_search.ts'
import {
  CalendarSyntaxError,
  readCalendarEvent,
  YEARS,
  type CalendarEvent,
} from './oncalendar_syntax.ts'
import { instantOf, offsetAt, wallAt, wallPlus } from './zoned_time.ts'

export type { CalendarEvent } from './oncalendar_syntax.ts'

export type ParsedCalendar = { ok: true; event: CalendarEvent } | { ok: false; error: string }

/** How far the clocks may go back at once: the widest repeated span to look across. */
const LONGEST_FALL_BACK = 3 * 3_600_000
/** Wall times to skip inside a repeated span before giving up (one per second for hours). */
const MAX_STEPS = 20_000

/**
 * Reads a systemd calendar event (systemd.time(7)) such as `Mon..Fri 02:00`,
 * `*-*~1 23:00` or `weekly`. An expression that names no moment at all
 * (`*-02-30`) is refused, as one that is not in the grammar.
 */
export function parseOnCalendar(expression: string): ParsedCalendar {
  let event: CalendarEvent
  try {
    event = readCalendarEvent(expression)
  } catch (error) {
    if (error instanceof CalendarSyntaxError) return { ok: false, error: error.message }
    throw error
  }
  const start = { year: YEARS.min, month: 1, day: 1, hour: 0, minute: 0, second: 0 }
  if (nextWall(event, start) === null) {
    return {
      ok: false,
      error: `it never fires: no date from ${YEARS.min} to ${YEARS.max} matches it`,
    }
  }
  return { ok: true, event }
}

/**
 * The first moment strictly after `after` at which the event fires on the
 * clocks of `timeZone`, or null when it fires no more. Each wall time fires
 * once: in a repeated hour at its first pass, in a skipped hour when the
 * clocks jump (the skipped hour's end). Throws RangeError on an unknown zone.
 */
export function nextFire(event: CalendarEvent, after: Date, timeZone: string): Date | null {
  const at = after.getTime()
  let from = wallPlus(wallAt(at, timeZone), 1)
  for (let step = 0; step < MAX_STEPS; step++) {
    const wall = nextWall(event, from)
    if (wall === null) return null
    const instant = instantOf(wall, timeZone)
    if (instant > at) return new Date(instant)
    // a wall time already passed in a repeated hour
    from = wallPlus(wall, 1)
  }
  return null
}

/** The last moment at or before `atOrBefore` at which the event fired, or null. */
export function previousFire(
  event: CalendarEvent,
  atOrBefore: Date,
  timeZone: string
): Date | null {
  const at = atOrBefore.getTime()
  // in a repeated hour's second pass, wall times up to an hour ahead already fired
  const back = offsetAt(at - LONGEST_FALL_BACK, timeZone) - offsetAt(at, timeZone)
  let from = wallAt(at + Math.max(0, back), timeZone)
  for (let step = 0; step < MAX_STEPS; step++) {
    const wall = previousWall(event, from)
    if (wall === null) return null
    const instant = instantOf(wall, timeZone)
    if (instant <= at) return new Date(instant)
    from = wallPlus(wall, -1)
  }
  return null
}
