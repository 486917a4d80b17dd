import { test } from '@japa/runner'
import { nextReportAt, reportPeriodStart } from '#models/report_schedule'

const at = (iso: string) => new Date(iso)
const iso = (date: Date | null) => date?.toISOString() ?? null

test.group('Report schedule', () => {
  test('a daily report is due at its hour in its time zone, strictly after now', ({ assert }) => {
    const daily = { period: 'daily', hour: 8, tz: 'Europe/Berlin' } as const
    // 08:00 in Berlin is 07:00 UTC in winter
    assert.equal(iso(nextReportAt(daily, at('2026-01-10T06:59:00Z'))), '2026-01-10T07:00:00.000Z')
    assert.equal(iso(nextReportAt(daily, at('2026-01-10T07:00:00Z'))), '2026-01-11T07:00:00.000Z')
    // and 06:00 UTC in summer
    assert.equal(iso(nextReportAt(daily, at('2026-07-10T12:00:00Z'))), '2026-07-11T06:00:00.000Z')
  })

  test('a weekly report is due on Mondays; off is never due', ({ assert }) => {
    const weekly = { period: 'weekly', hour: 0, tz: 'UTC' } as const
    // 2026-01-10 is a Saturday
    assert.equal(iso(nextReportAt(weekly, at('2026-01-10T12:00:00Z'))), '2026-01-12T00:00:00.000Z')
    assert.equal(iso(nextReportAt(weekly, at('2026-01-12T00:00:00Z'))), '2026-01-19T00:00:00.000Z')
    assert.isNull(nextReportAt({ period: 'off', hour: 8, tz: 'UTC' }, at('2026-01-10T00:00:00Z')))
  })

  test('across a DST change a daily period is one calendar day', ({ assert }) => {
    // Berlin springs forward on 2026-03-29: that day has 23 hours
    const end = at('2026-03-29T06:00:00Z')
    assert.equal(iso(reportPeriodStart('daily', 'Europe/Berlin', end)), '2026-03-28T07:00:00.000Z')
    assert.equal(iso(reportPeriodStart('weekly', 'UTC', end)), '2026-03-22T06:00:00.000Z')
  })
})
