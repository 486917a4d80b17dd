import { DateTime } from 'luxon'

/**
 * When a User's email report is due: a pure rule, with no database, so the
 * settings form, the pass and the tests compute the same moments.
 */
export const REPORT_PERIODS = ['off', 'daily', 'weekly'] as const
export type ReportPeriod = (typeof REPORT_PERIODS)[number]

export interface ReportSettings {
  period: ReportPeriod
  /** 0–23, in `tz` */
  hour: number
  tz: string
}

/**
 * The first report moment strictly after `after`: the hour in the User's
 * time zone, every day, or on Mondays for a weekly report. Null when off.
 * Luxon moves an hour that a DST change skips to the next valid time.
 */
export function nextReportAt(settings: ReportSettings, after: Date): Date | null {
  if (settings.period === 'off') {
    return null
  }
  const from = DateTime.fromJSDate(after, { zone: settings.tz })
  let candidate = from.set({ hour: settings.hour, minute: 0, second: 0, millisecond: 0 })
  for (let day = 0; day < 9; day++) {
    const weekdayOk = settings.period === 'daily' || candidate.weekday === 1
    if (weekdayOk && candidate.toMillis() > after.getTime()) {
      return candidate.toJSDate()
    }
    candidate = candidate.plus({ days: 1 }).set({ hour: settings.hour })
  }
  throw new Error(`no report moment found for ${JSON.stringify(settings)}`)
}

/** The start of the period a report ending at `end` covers: a day or a week before */
export function reportPeriodStart(period: ReportPeriod, tz: string, end: Date): Date {
  const days = period === 'weekly' ? 7 : 1
  return DateTime.fromJSDate(end, { zone: tz }).minus({ days }).toJSDate()
}
