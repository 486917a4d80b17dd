import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  ago,
  crontabSchedule,
  duration,
  exactTime,
  period,
  pingFilters,
  schedule,
} from '#services/support/ui_format'

const now = new Date('2025-06-02T12:00:00Z')
const before = (seconds: number) => new Date(now.getTime() - seconds * 1000)

test.group('ui_format', () => {
  test('writes how long ago a moment was', ({ assert }) => {
    assert.equal(ago(null, now), 'never')
    assert.equal(ago(before(10), now), 'just now')
    assert.equal(ago(before(180), now), '3 min ago')
    assert.equal(ago(before(60), now), '1 min ago')
    assert.equal(ago(before(5 * 3600), now), '5 h ago')
    assert.equal(ago(before(2 * 86_400), now), '2 days ago')
    assert.equal(ago(before(86_400), now), '1 day ago')
    assert.equal(ago(DateTime.fromJSDate(before(-600)), now), 'in 10 min')
    assert.equal(ago('2025-06-02T11:57:00.000Z', now), '3 min ago')
  })

  test('writes the exact moment in UTC or a given time zone', ({ assert }) => {
    assert.equal(exactTime(now), '2025-06-02 12:00:00 UTC')
    assert.match(exactTime(now, 'Europe/Paris'), /^2025-06-02 14:00:00 (CEST|GMT\+2)$/)
    assert.equal(exactTime(null), '')
  })

  test('writes durations and periods in the unit a person reads best', ({ assert }) => {
    assert.equal(duration(null), '')
    assert.equal(duration(850), '850 ms')
    assert.equal(duration(12_400), '12.4 s')
    assert.equal(duration(3000), '3 s')
    assert.equal(duration(200_000), '3 min 20 s')
    assert.equal(duration(7_500_000), '2 h 5 min')
    assert.equal(period(86_400), '1 day')
    assert.equal(period(3 * 86_400), '3 days')
    assert.equal(period(5400), '90 min')
    assert.equal(period(90), '90 s')
  })

  test('writes a schedule and a crontab line that fits it', ({ assert }) => {
    const simple = { kind: 'simple', timeout: 3600, schedule: '* * * * *', tz: 'UTC' }
    const cron = { kind: 'cron', timeout: 0, schedule: '0 6 * * 1', tz: 'Europe/Paris' }
    assert.equal(schedule(simple), 'every 1 h')
    assert.equal(schedule(cron), '0 6 * * 1 (Europe/Paris)')
    assert.equal(crontabSchedule(cron), '0 6 * * 1')
    assert.equal(crontabSchedule({ ...simple, timeout: 60 }), '* * * * *')
    assert.equal(crontabSchedule({ ...simple, timeout: 900 }), '*/15 * * * *')
    assert.equal(crontabSchedule(simple), '0 * * * *')
    assert.equal(crontabSchedule({ ...simple, timeout: 6 * 3600 }), '0 */6 * * *')
    assert.equal(crontabSchedule({ ...simple, timeout: 86_400 }), '0 3 * * *')
    const calendar = { kind: 'oncalendar', timeout: 0, schedule: 'Mon..Fri 09:00', tz: 'UTC' }
    assert.equal(schedule(calendar), 'OnCalendar Mon..Fri 09:00 (UTC)')
    assert.equal(crontabSchedule(calendar), '0 3 * * *')
  })

  test('writes a Token’s ping filters in one line, empty for none', ({ assert }) => {
    const none = {
      methods: '',
      filterSubject: false,
      filterBody: false,
      startKw: '',
      successKw: '',
      failureKw: '',
    }
    assert.equal(pingFilters(none), '')
    assert.equal(pingFilters({ ...none, failureKw: 'error' }), '')
    assert.equal(
      pingFilters({ ...none, methods: 'POST', filterBody: true, failureKw: 'error, fatal' }),
      'POST only; body: failure error, fatal'
    )
  })
})
