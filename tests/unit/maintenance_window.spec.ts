import { test } from '@japa/runner'
import { tokenState } from '#tests/helpers/token_state'
import { maintenanceEnd } from '#models/maintenance_window'
import { checkLate, recordPing, snooze } from '#models/token_state'
import { silenceOf } from '#services/alerts/silencing'

const at = (iso: string) => new Date(iso)
const iso = (date: Date | null) => date?.toISOString() ?? null

test.group('Maintenance windows', () => {
  test('a scheduled window opens at each cron fire in its time zone and lasts its minutes', ({
    assert,
  }) => {
    // Sundays 02:00 in Paris (UTC+1 in January), for 90 minutes
    const window = tokenState({
      maintenanceSchedule: '0 2 * * 0',
      maintenanceMinutes: 90,
      maintenanceTz: 'Europe/Paris',
    })
    assert.isNull(maintenanceEnd(window, at('2026-01-04T00:59:59Z')))
    assert.equal(
      iso(maintenanceEnd(window, at('2026-01-04T01:00:00Z'))),
      '2026-01-04T02:30:00.000Z'
    )
    assert.equal(
      iso(maintenanceEnd(window, at('2026-01-04T02:29:59Z'))),
      '2026-01-04T02:30:00.000Z'
    )
    assert.isNull(maintenanceEnd(window, at('2026-01-04T02:30:00Z')))
    assert.isNull(maintenanceEnd(window, at('2026-01-05T01:30:00Z')), 'Monday')
  })

  test('an OnCalendar schedule opens the window at its fires in its time zone', ({ assert }) => {
    // the last weekday of each month at 23:00 in New York (UTC-4 in September), for an hour
    const window = tokenState({
      maintenanceSchedule: 'Mon..Fri *-*~1 23:00',
      maintenanceMinutes: 60,
      maintenanceTz: 'America/New_York',
    })
    // 2026-09-30 is a Wednesday
    assert.isNull(maintenanceEnd(window, at('2026-10-01T02:59:59Z')))
    assert.equal(
      iso(maintenanceEnd(window, at('2026-10-01T03:00:00Z'))),
      '2026-10-01T04:00:00.000Z'
    )
    assert.isNull(maintenanceEnd(window, at('2026-10-01T04:00:00Z')))
    assert.isNull(maintenanceEnd(window, at('2026-09-30T03:30:00Z')), 'the day before the last')
  })

  test('a snooze covers until its end; with a scheduled window the later end wins', ({
    assert,
  }) => {
    const window = tokenState({
      snoozeUntil: at('2026-01-04T03:00:00Z'),
      maintenanceSchedule: '0 2 * * *',
      maintenanceMinutes: 30,
    })
    assert.equal(
      iso(maintenanceEnd(window, at('2026-01-04T01:00:00Z'))),
      '2026-01-04T03:00:00.000Z'
    )
    assert.equal(
      iso(maintenanceEnd(window, at('2026-01-05T02:10:00Z'))),
      '2026-01-05T02:30:00.000Z'
    )
    assert.isNull(maintenanceEnd(window, at('2026-01-04T03:00:00Z')))
  })

  test('a schedule the parser rejects opens no window', ({ assert }) => {
    const odd = tokenState({
      maintenanceSchedule: '0 2 * * *',
      maintenanceMinutes: 30,
      maintenanceTz: 'Nowhere/City',
    })
    assert.isNull(maintenanceEnd(odd, at('2026-01-04T02:10:00Z')))
    const never = tokenState({ maintenanceSchedule: '*-02-30', maintenanceMinutes: 30 })
    assert.isNull(maintenanceEnd(never, at('2026-01-04T02:10:00Z')))
    const zoned = { ...odd, maintenanceSchedule: '02:00' }
    assert.isNull(maintenanceEnd(zoned, at('2026-01-04T02:10:00Z')))
  })

  test('a fail inside a window takes the Token down with its end as the next judgement', ({
    assert,
  }) => {
    const token = tokenState({ status: 'up', lastPingAt: at('2026-01-04T00:00:00Z') })
    snooze(token, at('2026-01-04T00:10:00Z'), 60)
    assert.equal(iso(token.snoozeUntil), '2026-01-04T01:10:00.000Z')
    const outcome = recordPing(token, { action: 'fail', at: at('2026-01-04T00:20:00Z'), rid: null })
    assert.equal(outcome.flip?.newStatus, 'down')
    assert.equal(iso(token.alertAfter), '2026-01-04T01:10:00.000Z')
    assert.isNull(checkLate(token, at('2026-01-04T01:09:59Z')))
    assert.deepEqual(checkLate(token, at('2026-01-04T01:10:00Z')), {
      oldStatus: 'down',
      newStatus: 'down',
      reason: 'maintenance_end',
    })
    assert.isNull(token.alertAfter)
  })

  test('ending a snooze early judges a Token down inside it at once', ({ assert }) => {
    const token = tokenState({ status: 'up', lastPingAt: at('2026-01-04T00:00:00Z') })
    snooze(token, at('2026-01-04T00:10:00Z'), 60)
    recordPing(token, { action: 'fail', at: at('2026-01-04T00:20:00Z'), rid: null })
    snooze(token, at('2026-01-04T00:30:00Z'), 0)
    assert.isNull(token.snoozeUntil)
    assert.equal(iso(token.alertAfter), '2026-01-04T00:30:00.000Z')
  })

  test('silencing: a window, a parent down, a recovery as quiet as its down', ({ assert }) => {
    const none = tokenState()
    const flip = { oldStatus: 'up', newStatus: 'down', at: at('2026-01-04T00:00:00Z') }
    const quiet = { ...none, snoozeUntil: at('2026-01-04T01:00:00Z') }
    assert.equal(
      silenceOf({ ...flip, window: quiet, parentDown: false, lastDown: null }),
      'maintenance'
    )
    assert.equal(
      silenceOf({ ...flip, window: none, parentDown: true, lastDown: null }),
      'dependency'
    )
    assert.isNull(silenceOf({ ...flip, window: none, parentDown: false, lastDown: null }))
    const recovery = {
      oldStatus: 'down',
      newStatus: 'up',
      at: flip.at,
      window: none,
      parentDown: true,
    }
    assert.equal(silenceOf({ ...recovery, lastDown: 'dependency' }), 'dependency')
    assert.isNull(silenceOf({ ...recovery, lastDown: null }))
  })
})
