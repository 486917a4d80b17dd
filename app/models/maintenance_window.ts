import { CronExpressionParser } from 'cron-parser'
import { previousFire } from '#lib/oncalendar'
import { calendarOf, cronFields, scheduleSyntax } from '#models/token_schedule'

/**
 * A Token's maintenance windows: an ad hoc snooze until a moment, and a
 * scheduled window that opens at each fire of a cron line or a systemd
 * OnCalendar expression (in its own time zone) and lasts a number of minutes.
 * Pure, as token_state.ts is.
 */
export interface MaintenanceFields {
  snoozeUntil: Date | null
  /** A 5-field cron line or an OnCalendar expression; empty for none */
  maintenanceSchedule: string
  maintenanceMinutes: number
  maintenanceTz: string
}

/** The longest scheduled window, a week: longer is a pause, not maintenance. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60

export { scheduleSyntax, type ScheduleSyntax } from '#models/token_schedule'

/** The last time the schedule fired at or before `at`; throws on a line the parser rejects. */
function lastOpened(fields: MaintenanceFields, at: Date): number | null {
  if (scheduleSyntax(fields.maintenanceSchedule) === 'oncalendar') {
    const parsed = calendarOf(fields.maintenanceSchedule)
    if (!parsed.ok) return null
    return previousFire(parsed.event, at, fields.maintenanceTz)?.getTime() ?? null
  }
  // prev() is strictly before its start: one millisecond on, a window opening at `at` counts
  return CronExpressionParser.parse(cronFields(fields.maintenanceSchedule), {
    currentDate: new Date(at.getTime() + 1),
    tz: fields.maintenanceTz,
  })
    .prev()
    .toDate()
    .getTime()
}

function scheduledEnd(fields: MaintenanceFields, at: Date): number | null {
  if (!fields.maintenanceSchedule || fields.maintenanceMinutes <= 0) {
    return null
  }
  try {
    const opened = lastOpened(fields, at)
    if (opened === null) return null
    const end = opened + fields.maintenanceMinutes * 60_000
    return Number.isFinite(end) && at.getTime() < end ? end : null
  } catch {
    // a line or time zone the parser rejects opens no window; it must never fail a batch
    return null
  }
}

/**
 * The end of the maintenance window that covers `at` (the later one when a
 * snooze and a scheduled window overlap), or null when `at` is in none.
 */
export function maintenanceEnd(fields: MaintenanceFields, at: Date): Date | null {
  const snooze =
    fields.snoozeUntil && at.getTime() < fields.snoozeUntil.getTime()
      ? fields.snoozeUntil.getTime()
      : null
  const scheduled = scheduledEnd(fields, at)
  if (snooze === null && scheduled === null) {
    return null
  }
  return new Date(Math.max(snooze ?? 0, scheduled ?? 0))
}
