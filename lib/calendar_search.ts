import type { CalendarEvent } from './oncalendar_syntax.ts'
import { YEARS } from './oncalendar_syntax.ts'
import type { Wall } from './zoned_time.ts'

const atLeast = (sorted: readonly number[], value: number) => sorted.find((item) => item >= value)
const atMost = (sorted: readonly number[], value: number) =>
  sorted.findLast((item) => item <= value)

/** The days of one month that match the event's days and weekdays, in order. */
function daysOf(event: CalendarEvent, year: number, month: number): number[] {
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const days = event.fromEnd
    ? event.days.map((back) => length - back + 1).reverse()
    : event.days.filter((day) => day <= length)
  return days.filter(
    (day) =>
      day >= 1 &&
      (event.weekdays === null ||
        event.weekdays.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay()))
  )
}

/**
 * The first wall time at or after `from` that the event names, or null if
 * none is left before the last year it may name. Each step moves one field on
 * and resets the smaller ones, so the loop ends within a few thousand steps.
 */
export function nextWall(event: CalendarEvent, from: Wall): Wall | null {
  let { year, month, day, hour, minute, second } = from
  while (year <= YEARS.max) {
    const y = atLeast(event.years, year)
    if (y === undefined) return null
    if (y !== year) [year, month, day, hour, minute, second] = [y, 1, 1, 0, 0, 0]
    const m = atLeast(event.months, month)
    if (m === undefined) {
      ;[year, month, day, hour, minute, second] = [year + 1, 1, 1, 0, 0, 0]
      continue
    }
    if (m !== month) [month, day, hour, minute, second] = [m, 1, 0, 0, 0]
    const d = atLeast(daysOf(event, year, month), day)
    if (d === undefined) {
      ;[month, day, hour, minute, second] = [month + 1, 1, 0, 0, 0]
      continue
    }
    if (d !== day) [day, hour, minute, second] = [d, 0, 0, 0]
    const h = atLeast(event.hours, hour)
    if (h === undefined) {
      ;[day, hour, minute, second] = [day + 1, 0, 0, 0]
      continue
    }
    if (h !== hour) [hour, minute, second] = [h, 0, 0]
    const mi = atLeast(event.minutes, minute)
    if (mi === undefined) {
      ;[hour, minute, second] = [hour + 1, 0, 0]
      continue
    }
    if (mi !== minute) [minute, second] = [mi, 0]
    const s = atLeast(event.seconds, second)
    if (s === undefined) {
      ;[minute, second] = [minute + 1, 0]
      continue
    }
    return { year, month, day, hour, minute, second: s }
  }
  return null
}

/** The last wall time at or before `from` that the event names, or null. */
export function previousWall(event: CalendarEvent, from: Wall): Wall | null {
  let { year, month, day, hour, minute, second } = from
  while (year >= YEARS.min) {
    const y = atMost(event.years, year)
    if (y === undefined) return null
    if (y !== year) [year, month, day, hour, minute, second] = [y, 12, 31, 23, 59, 59]
    const m = atMost(event.months, month)
    if (m === undefined) {
      ;[year, month, day, hour, minute, second] = [year - 1, 12, 31, 23, 59, 59]
      continue
    }
    if (m !== month) [month, day, hour, minute, second] = [m, 31, 23, 59, 59]
    const d = atMost(daysOf(event, year, month), day)
    if (d === undefined) {
      ;[month, day, hour, minute, second] = [month - 1, 31, 23, 59, 59]
      continue
    }
    if (d !== day) [day, hour, minute, second] = [d, 23, 59, 59]
    const h = atMost(event.hours, hour)
    if (h === undefined) {
      ;[day, hour, minute, second] = [day - 1, 23, 59, 59]
      continue
    }
    if (h !== hour) [hour, minute, second] = [h, 59, 59]
    const mi = atMost(event.minutes, minute)
    if (mi === undefined) {
      ;[hour, minute, second] = [hour - 1, 59, 59]
      continue
    }
    if (mi !== minute) [minute, second] = [mi, 59]
    const s = atMost(event.seconds, second)
    if (s === undefined) {
      ;[minute, second] = [minute - 1, 59]
      continue
    }
    return { year, month, day, hour, minute, second: s }
  }
  return null
}
