import { test } from '@japa/runner'
import { tokenState } from '#tests/helpers/token_state'
import { computeAlertAfter, nextExpected, recordPing } from '#models/token_state'
import { cronError, onCalendarError, scheduleSyntax } from '#models/token_schedule'
import { tokenScheduleError } from '#validators/token'

const at = (iso: string) => new Date(iso)

test.group('Token schedules: reading cron and OnCalendar', () => {
  test('five fields or an @ nickname read as cron, anything else as OnCalendar', ({ assert }) => {
    assert.equal(scheduleSyntax('0 3 * * *'), 'cron')
    assert.equal(scheduleSyntax(' @daily '), 'cron')
    assert.equal(scheduleSyntax('Mon..Fri *-*-* 09:00'), 'oncalendar')
    assert.equal(scheduleSyntax('daily'), 'oncalendar')
  })

  test('cron takes the nicknames, as the five fields they stand for', ({ assert }) => {
    const from = at('2026-03-10T10:15:00Z')
    const next = (schedule: string) =>
      nextExpected({ kind: 'cron', timeout: 0, schedule, tz: 'UTC' }, from)?.toISOString()
    for (const nickname of ['@yearly', '@annually']) {
      assert.equal(next(nickname), '2027-01-01T00:00:00.000Z', nickname)
    }
    assert.equal(next('@monthly'), '2026-04-01T00:00:00.000Z')
    assert.equal(next('@weekly'), '2026-03-15T00:00:00.000Z')
    assert.equal(next('@daily'), '2026-03-11T00:00:00.000Z')
    assert.equal(next('@midnight'), '2026-03-11T00:00:00.000Z')
    assert.equal(next('@hourly'), '2026-03-10T11:00:00.000Z')
    assert.isNull(cronError('@MIDNIGHT'))
  })

  test('refuses a cron line that never fires, saying so', ({ assert }) => {
    assert.match(cronError('0 0 31 2 *')!, /^never fires/)
    assert.match(cronError('0 0 30,31 2 *')!, /^never fires/)
    // day of month or day of week: Mondays in February still fire
    assert.isNull(cronError('0 0 31 2 1'))
    assert.isNull(cronError('0 0 29 2 *'))
  })

  test('refuses @reboot and unknown nicknames, naming the ones it takes', ({ assert }) => {
    assert.match(cronError('@reboot')!, /not a cron nickname.*@daily, @midnight or @hourly/)
    assert.equal(cronError('61 * * * *'), 'must be a valid 5-field cron expression')
  })

  test('refuses an OnCalendar expression outside the grammar or whose dates are past', ({
    assert,
  }) => {
    assert.isNull(onCalendarError('Mon..Fri *-*-* 09:00'))
    assert.match(onCalendarError('Mon..Fri 25:00')!, /^is not a valid OnCalendar expression: /)
    assert.match(onCalendarError('*-02-30 00:00')!, /never fires/)
    assert.equal(
      onCalendarError('2020-01-01 00:00', at('2026-01-01T00:00:00Z')),
      'never fires again: its last date is past'
    )
  })

  test('the validator names the syntax it read a schedule in when no kind says', ({ assert }) => {
    assert.match(
      tokenScheduleError('Mon..Fri 25:00')!,
      /^does not have the five fields of a cron line, so it was read as an OnCalendar expression/
    )
    assert.match(tokenScheduleError('0 0 31 2 *')!, /^never fires.*read as a cron line/)
    // a kind given reads it in that syntax
    assert.equal(
      tokenScheduleError('Mon *-*-* 09:00', 'cron'),
      'must be a valid 5-field cron expression'
    )
    assert.isNull(tokenScheduleError('0 3 * * *', 'cron'))
    assert.isNull(tokenScheduleError('weekly', 'oncalendar'))
  })
})

test.group('Token schedules: OnCalendar next runs and deadlines', () => {
  test('an OnCalendar Token expects its next run on the clocks of its time zone', ({ assert }) => {
    const schedule = { kind: 'oncalendar' as const, timeout: 0, tz: 'Europe/Berlin' }
    // weekdays at 09:30 Berlin: Friday evening's next run is Monday morning (UTC+1 in March)
    assert.deepEqual(
      nextExpected({ ...schedule, schedule: 'Mon..Fri *-*-* 09:30' }, at('2026-03-13T18:00:00Z')),
      at('2026-03-16T08:30:00Z')
    )
    // across the spring change (29 March 2026) the wall time stays, the offset moves
    assert.deepEqual(
      nextExpected({ ...schedule, schedule: '*-*-* 09:30' }, at('2026-03-28T12:00:00Z')),
      at('2026-03-29T07:30:00Z')
    )
    // the last day of each month, counted from its end
    assert.deepEqual(
      nextExpected({ ...schedule, schedule: '*-*~1 23:00' }, at('2026-02-01T00:00:00Z')),
      at('2026-02-28T22:00:00Z')
    )
  })

  test('a success sets an OnCalendar Token’s deadline to its next run plus grace', ({ assert }) => {
    const token = tokenState({
      kind: 'oncalendar',
      schedule: 'Sat,Sun 06:00',
      tz: 'America/New_York',
      grace: 600,
    })
    recordPing(token, { action: 'success', at: at('2026-07-03T12:00:00Z'), rid: null })
    // Saturday 4 July 06:00 EDT is 10:00 UTC; ten minutes of grace
    assert.deepEqual(token.alertAfter, at('2026-07-04T10:10:00Z'))
  })

  test('an OnCalendar schedule that fires no more leaves no deadline, and no error', ({
    assert,
  }) => {
    const token = tokenState({
      kind: 'oncalendar',
      schedule: '2026-01-01 00:00',
      status: 'up',
      lastPingAt: at('2026-06-01T00:00:00Z'),
    })
    assert.isNull(computeAlertAfter(token))
    const broken = tokenState({ ...token, schedule: 'not a calendar' })
    assert.isNull(computeAlertAfter(broken))
  })
})
