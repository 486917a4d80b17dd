import { test } from '@japa/runner'
import { tokenState } from '#tests/helpers/token_state'
import {
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
