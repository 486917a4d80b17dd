import { test } from '@japa/runner'
import { tokenState } from '#tests/helpers/token_state'
import {
  checkLate,
  computeAlertAfter,
  displayStatus,
  nextExpected,
  pause,
  recordPing,
  resume,
} from '#models/token_state'

const state = tokenState

const at = (iso: string) => new Date(iso)

test.group('Token state: recording pings', () => {
  test('a success ping sets the Token up and its deadline to timeout + grace', ({ assert }) => {
    const token = state()
    const outcome = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T00:00:00Z'),
      rid: null,
    })
    assert.equal(token.status, 'up')
    assert.equal(token.nPings, 1)
    assert.deepEqual(token.lastPingAt, at('2026-01-01T00:00:00Z'))
    assert.deepEqual(token.alertAfter, at('2026-01-01T01:10:00Z'))
    assert.deepEqual(outcome.flip, { oldStatus: 'new', newStatus: 'up', reason: 'success' })
    assert.equal(outcome.kind, 'success')
  })

  test('a second success writes no Flip', ({ assert }) => {
    const token = state({ status: 'up', lastPingAt: at('2026-01-01T00:00:00Z') })
    const outcome = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T01:00:00Z'),
      rid: null,
    })
    assert.isNull(outcome.flip)
  })

  test('a fail ping sets the Token down with a Flip and no deadline', ({ assert }) => {
    const token = state({ status: 'up' })
    const outcome = recordPing(token, { action: 'fail', at: at('2026-01-01T00:00:00Z'), rid: null })
    assert.equal(token.status, 'down')
    assert.isNull(token.alertAfter)
    assert.deepEqual(outcome.flip, { oldStatus: 'up', newStatus: 'down', reason: 'fail' })
  })

  test('a log ping changes nothing but the count', ({ assert }) => {
    const token = state()
    recordPing(token, { action: 'success', at: at('2026-01-01T00:00:00Z'), rid: null })
    const before = { ...token }
    const outcome = recordPing(token, { action: 'log', at: at('2026-01-01T00:30:00Z'), rid: null })
    assert.equal(outcome.kind, 'log')
    assert.isNull(outcome.flip)
    assert.deepEqual({ ...token, nPings: before.nPings }, before)
    assert.equal(token.nPings, 2)
  })

  test('a start then a success with the same rid gives the run duration', ({ assert }) => {
    const token = state({ status: 'up' })
    const rid = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
    recordPing(token, { action: 'start', at: at('2026-01-01T00:00:00Z'), rid })
    assert.equal(displayStatus(token, at('2026-01-01T00:00:05Z')), 'started')
    assert.deepEqual(token.alertAfter, at('2026-01-01T00:10:00Z'))
    const end = recordPing(token, { action: 'success', at: at('2026-01-01T00:00:42Z'), rid })
    assert.equal(end.durationMs, 42_000)
    assert.equal(token.lastDurationMs, 42_000)
    assert.isNull(token.lastStartAt)
  })

  test('a duration the client reports is kept over the measured one, and the run closed', ({
    assert,
  }) => {
    const token = state({ status: 'up' })
    recordPing(token, { action: 'start', at: at('2026-01-01T00:00:00Z'), rid: null })
    const end = recordPing(token, {
      action: 'fail',
      at: at('2026-01-01T00:00:42Z'),
      rid: null,
      durationMs: 1234,
    })
    assert.equal(end.durationMs, 1234)
    assert.equal(token.lastDurationMs, 1234)
    assert.isNull(token.lastStartAt)
  })

  test('an end with another rid does not close the run', ({ assert }) => {
    const token = state({ status: 'up' })
    recordPing(token, {
      action: 'start',
      at: at('2026-01-01T00:00:00Z'),
      rid: '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60',
    })
    const end = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T00:00:42Z'),
      rid: '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60',
    })
    assert.isNull(end.durationMs)
    assert.isNotNull(token.lastStartAt)
  })

  test('a paused Token with manual resume stores pings as ign and stays paused', ({ assert }) => {
    const token = state({ status: 'paused', manualResume: true })
    const outcome = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T00:00:00Z'),
      rid: null,
    })
    assert.equal(outcome.kind, 'ign')
    assert.equal(token.status, 'paused')
    assert.equal(token.nPings, 1)
  })

  test('a paused Token without manual resume is resumed by a ping', ({ assert }) => {
    const token = state({ status: 'paused' })
    const outcome = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T00:00:00Z'),
      rid: null,
    })
    assert.equal(token.status, 'up')
    assert.deepEqual(outcome.flip, { oldStatus: 'paused', newStatus: 'up', reason: 'success' })
  })
})

test.group('Token state: schedules and display', () => {
  test('a cron schedule expects the next run in its time zone', ({ assert }) => {
    const next = nextExpected(
      { kind: 'cron', timeout: 60, schedule: '30 2 * * *', tz: 'Europe/Berlin' },
      at('2026-06-01T12:00:00Z')
    )
    assert.deepEqual(next, at('2026-06-02T00:30:00Z'))
  })

  test('new, paused and down Tokens have no deadline', ({ assert }) => {
    assert.isNull(computeAlertAfter(state()))
    assert.isNull(
      computeAlertAfter(state({ status: 'paused', lastPingAt: at('2026-01-01T00:00:00Z') }))
    )
    assert.isNull(
      computeAlertAfter(state({ status: 'down', lastPingAt: at('2026-01-01T00:00:00Z') }))
    )
  })

  test('an up Token past its expected moment shows grace', ({ assert }) => {
    const token = state()
    recordPing(token, { action: 'success', at: at('2026-01-01T00:00:00Z'), rid: null })
    assert.equal(displayStatus(token, at('2026-01-01T00:59:59Z')), 'up')
    assert.equal(displayStatus(token, at('2026-01-01T01:00:00Z')), 'grace')
  })
})

test.group('Token state: pause and resume', () => {
  test('pausing drops the deadline with one Flip; pausing again writes none', ({ assert }) => {
    const token = state({
      status: 'up',
      lastPingAt: new Date('2026-01-01T00:00:00Z'),
      alertAfter: new Date('2026-01-01T01:00:00Z'),
    })
    assert.deepEqual(pause(token), { oldStatus: 'up', newStatus: 'paused', reason: 'paused' })
    assert.equal(token.status, 'paused')
    assert.isNull(token.alertAfter)
    assert.isNull(pause(token))
  })

  test('resuming starts afresh: new, no open run, no deadline', ({ assert }) => {
    const token = state({
      status: 'paused',
      lastPingAt: new Date('2026-01-01T00:00:00Z'),
      lastStartAt: new Date('2026-01-01T00:30:00Z'),
      lastStartRid: 'r1',
    })
    assert.deepEqual(resume(token), { oldStatus: 'paused', newStatus: 'new', reason: 'resumed' })
    assert.equal(token.status, 'new')
    assert.isNull(token.lastStartAt)
    assert.isNull(token.lastStartRid)
    assert.isNull(token.alertAfter)
  })

  test('resuming a Token that is not paused changes nothing', ({ assert }) => {
    const token = state({ status: 'up', lastStartAt: new Date('2026-01-01T00:30:00Z') })
    assert.isNull(resume(token))
    assert.equal(token.status, 'up')
    assert.isNotNull(token.lastStartAt)
  })
})

test.group('Token state: run rules', () => {
  const rid = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'

  test('max_runtime sets an open run deadline of its own, and its Flip says max runtime', ({
    assert,
  }) => {
    const token = state({ status: 'up', maxRuntime: 120, lastPingAt: at('2026-01-01T00:00:00Z') })
    recordPing(token, { action: 'start', at: at('2026-01-01T00:30:00Z'), rid })
    assert.deepEqual(token.alertAfter, at('2026-01-01T00:32:00Z'))
    assert.isNull(checkLate(token, at('2026-01-01T00:31:59Z')))
    assert.deepEqual(checkLate(token, at('2026-01-01T00:32:00Z')), {
      oldStatus: 'up',
      newStatus: 'down',
      reason: 'max runtime',
    })
  })

  test('without max_runtime an open run keeps its grace, reason start_timeout', ({ assert }) => {
    const token = state({ status: 'up', lastPingAt: at('2026-01-01T00:00:00Z') })
    recordPing(token, { action: 'start', at: at('2026-01-01T00:30:00Z'), rid })
    assert.deepEqual(token.alertAfter, at('2026-01-01T00:40:00Z'))
    assert.equal(checkLate(token, at('2026-01-01T00:40:00Z'))?.reason, 'start_timeout')
  })

  test('a schedule deadline before the max runtime comes first, as start_timeout', ({ assert }) => {
    // next expected 01:00 + grace 10 min = 01:10, before the run's 2 h limit
    const token = state({ status: 'up', maxRuntime: 7200, lastPingAt: at('2026-01-01T00:00:00Z') })
    recordPing(token, { action: 'start', at: at('2026-01-01T00:30:00Z'), rid })
    assert.deepEqual(token.alertAfter, at('2026-01-01T01:10:00Z'))
    assert.equal(checkLate(token, at('2026-01-01T01:10:00Z'))?.reason, 'start_timeout')
  })

  test('a success sooner than min_interval after the previous one warns, once', ({ assert }) => {
    const token = state({ minInterval: 3000 })
    recordPing(token, { action: 'success', at: at('2026-01-01T00:00:00Z'), rid: null })
    const soon = recordPing(token, { action: 'success', at: at('2026-01-01T00:49:59Z'), rid: null })
    assert.deepEqual(soon.flip, { oldStatus: 'up', newStatus: 'warning', reason: 'too soon' })
    assert.equal(displayStatus(token, at('2026-01-01T00:50:00Z')), 'warning')
    const again = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T00:50:00Z'),
      rid: null,
    })
    assert.isNull(again.flip)
    assert.equal(token.status, 'warning')
    // a warning Token keeps its schedule's deadline
    assert.deepEqual(token.alertAfter, at('2026-01-01T02:00:00Z'))
    const normal = recordPing(token, {
      action: 'success',
      at: at('2026-01-01T01:40:00Z'),
      rid: null,
    })
    assert.deepEqual(normal.flip, { oldStatus: 'warning', newStatus: 'up', reason: 'success' })
  })

  test('exactly min_interval after the previous success is normal', ({ assert }) => {
    const token = state({ minInterval: 3000 })
    recordPing(token, { action: 'success', at: at('2026-01-01T00:00:00Z'), rid: null })
    recordPing(token, { action: 'success', at: at('2026-01-01T00:50:00Z'), rid: null })
    assert.equal(token.status, 'up')
  })

  test('min_interval counts from the previous success, not from a failure', ({ assert }) => {
    const token = state({ minInterval: 3000, failThreshold: 3 })
    recordPing(token, { action: 'success', at: at('2026-01-01T00:00:00Z'), rid: null })
    recordPing(token, { action: 'fail', at: at('2026-01-01T00:55:00Z'), rid: null })
    recordPing(token, { action: 'success', at: at('2026-01-01T00:56:00Z'), rid: null })
    assert.equal(token.status, 'up')
  })

  test('a run shorter than min_duration warns; a long enough one clears it', ({ assert }) => {
    const token = state({ status: 'up', minDuration: 60 })
    recordPing(token, { action: 'start', at: at('2026-01-01T00:00:00Z'), rid })
    const short = recordPing(token, { action: 'success', at: at('2026-01-01T00:00:59Z'), rid })
    assert.deepEqual(short.flip, { oldStatus: 'up', newStatus: 'warning', reason: 'too short' })
    recordPing(token, { action: 'start', at: at('2026-01-01T01:00:00Z'), rid })
    assert.equal(displayStatus(token, at('2026-01-01T01:00:01Z')), 'warning')
    const long = recordPing(token, { action: 'success', at: at('2026-01-01T01:01:00Z'), rid })
    assert.deepEqual(long.flip, { oldStatus: 'warning', newStatus: 'up', reason: 'success' })
  })

  test('a reported duration counts for min_duration; an unknown one does not', ({ assert }) => {
    const token = state({ status: 'up', minDuration: 60 })
    recordPing(token, { action: 'success', at: at('2026-01-01T00:00:00Z'), rid: null })
    assert.equal(token.status, 'up')
    recordPing(token, {
      action: 'success',
      at: at('2026-01-01T01:00:00Z'),
      rid: null,
      durationMs: 59_999,
    })
    assert.equal(token.status, 'warning')
  })

  test('a failing run is down, not a warning, however short', ({ assert }) => {
    const token = state({ status: 'up', minDuration: 60 })
    recordPing(token, { action: 'fail', at: at('2026-01-01T00:00:00Z'), rid: null, durationMs: 5 })
    assert.equal(token.status, 'down')
  })

  test('fail_threshold: down at the Nth failure in a row, counted, reset by a success', ({
    assert,
  }) => {
    const token = state({ status: 'up', failThreshold: 3, lastPingAt: at('2026-01-01T00:00:00Z') })
    const first = recordPing(token, { action: 'fail', at: at('2026-01-01T01:00:00Z'), rid: null })
    assert.isNull(first.flip)
    assert.equal(token.consecutiveFails, 1)
    assert.equal(token.status, 'up')
    // the schedule goes on from the failure
    assert.deepEqual(token.alertAfter, at('2026-01-01T02:10:00Z'))
    recordPing(token, { action: 'success', at: at('2026-01-01T02:00:00Z'), rid: null })
    assert.equal(token.consecutiveFails, 0)
    recordPing(token, { action: 'fail', at: at('2026-01-01T03:00:00Z'), rid: null })
    recordPing(token, { action: 'fail', at: at('2026-01-01T04:00:00Z'), rid: null })
    assert.equal(token.status, 'up')
    const third = recordPing(token, { action: 'fail', at: at('2026-01-01T05:00:00Z'), rid: null })
    assert.deepEqual(third.flip, { oldStatus: 'up', newStatus: 'down', reason: 'fail' })
    assert.equal(token.consecutiveFails, 3)
    const back = recordPing(token, { action: 'success', at: at('2026-01-01T06:00:00Z'), rid: null })
    assert.deepEqual(back.flip, { oldStatus: 'down', newStatus: 'up', reason: 'success' })
    assert.equal(token.consecutiveFails, 0)
  })

  test('the default fail_threshold of 1 goes down at the first failure', ({ assert }) => {
    const token = state({ status: 'up' })
    recordPing(token, { action: 'fail', at: at('2026-01-01T00:00:00Z'), rid: null })
    assert.equal(token.status, 'down')
    assert.equal(token.consecutiveFails, 1)
  })

  test('resuming clears the failure count', ({ assert }) => {
    const token = state({ status: 'paused', consecutiveFails: 2, failThreshold: 3 })
    resume(token)
    assert.equal(token.consecutiveFails, 0)
  })
})
