import { test } from '@japa/runner'
import { tokenState } from '#tests/helpers/token_state'
import { recordPing, type PingInput, type TokenState } from '#models/token_state'

const T0 = new Date('2026-01-01T00:00:00Z')
const T1 = new Date('2026-01-01T00:00:42Z')
const RID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const OTHER_RID = '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const EARLIER = new Date('2025-12-31T00:00:00Z')

function state(overrides: Partial<TokenState>): TokenState {
  return tokenState({ nPings: 5, ...overrides })
}

interface Expected {
  status: TokenState['status']
  kind: string
  flip: [string, string, string] | null
  lastPingAt: Date | null
  /** Whether a run is still open afterwards */
  open: boolean
  durationMs: number | null
}

type Row = [string, Partial<TokenState>, Omit<PingInput, 'at'> & { at?: Date }, Expected]

const up = { status: 'up' as const, lastPingAt: EARLIER }
const running = { ...up, lastStartAt: T0, lastStartRid: null }
const runningRid = { ...up, lastStartAt: T0, lastStartRid: RID }

/**
 * healthchecks' rules, one row each: the Token before, the ping, what follows.
 */
const rows: Row[] = [
  [
    'success on a new Token: up, Flip',
    {},
    { action: 'success', rid: null },
    {
      status: 'up',
      kind: 'success',
      flip: ['new', 'up', 'success'],
      lastPingAt: T1,
      open: false,
      durationMs: null,
    },
  ],
  [
    'success on an up Token: no Flip',
    up,
    { action: 'success', rid: null },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: false, durationMs: null },
  ],
  [
    'success on a down Token: up, Flip',
    { ...up, status: 'down' },
    { action: 'success', rid: null },
    {
      status: 'up',
      kind: 'success',
      flip: ['down', 'up', 'success'],
      lastPingAt: T1,
      open: false,
      durationMs: null,
    },
  ],
  [
    'fail on an up Token: down, Flip',
    up,
    { action: 'fail', rid: null },
    {
      status: 'down',
      kind: 'fail',
      flip: ['up', 'down', 'fail'],
      lastPingAt: T1,
      open: false,
      durationMs: null,
    },
  ],
  [
    'fail on a new Token: down, Flip',
    {},
    { action: 'fail', rid: null },
    {
      status: 'down',
      kind: 'fail',
      flip: ['new', 'down', 'fail'],
      lastPingAt: T1,
      open: false,
      durationMs: null,
    },
  ],
  [
    'fail on a down Token: no Flip',
    { ...up, status: 'down' },
    { action: 'fail', rid: null },
    { status: 'down', kind: 'fail', flip: null, lastPingAt: T1, open: false, durationMs: null },
  ],
  [
    'start opens a run, status and last ping unchanged',
    up,
    { action: 'start', rid: null },
    { status: 'up', kind: 'start', flip: null, lastPingAt: EARLIER, open: true, durationMs: null },
  ],
  [
    'start on a down Token keeps it down',
    { ...up, status: 'down' },
    { action: 'start', rid: null },
    {
      status: 'down',
      kind: 'start',
      flip: null,
      lastPingAt: EARLIER,
      open: true,
      durationMs: null,
    },
  ],
  [
    'log changes nothing',
    up,
    { action: 'log', rid: null },
    { status: 'up', kind: 'log', flip: null, lastPingAt: EARLIER, open: false, durationMs: null },
  ],
  [
    'log on a down Token changes nothing',
    { ...up, status: 'down' },
    { action: 'log', rid: null },
    { status: 'down', kind: 'log', flip: null, lastPingAt: EARLIER, open: false, durationMs: null },
  ],
  [
    'log leaves an open run open',
    running,
    { action: 'log', rid: null },
    { status: 'up', kind: 'log', flip: null, lastPingAt: EARLIER, open: true, durationMs: null },
  ],
  [
    'success ends a run: duration',
    running,
    { action: 'success', rid: null },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: false, durationMs: 42_000 },
  ],
  [
    'fail ends a run: duration, down',
    running,
    { action: 'fail', rid: null },
    {
      status: 'down',
      kind: 'fail',
      flip: ['up', 'down', 'fail'],
      lastPingAt: T1,
      open: false,
      durationMs: 42_000,
    },
  ],
  [
    'success with the start rid: duration',
    runningRid,
    { action: 'success', rid: RID },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: false, durationMs: 42_000 },
  ],
  [
    'success without rid ends a run that had one',
    runningRid,
    { action: 'success', rid: null },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: false, durationMs: 42_000 },
  ],
  [
    'success with another rid: no duration, run stays open',
    runningRid,
    { action: 'success', rid: OTHER_RID },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: true, durationMs: null },
  ],
  [
    'success long after its start: no duration',
    { ...up, lastStartAt: new Date('2025-12-01T00:00:00Z') },
    { action: 'success', rid: null },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: false, durationMs: null },
  ],
  [
    'success on a paused Token resumes it',
    { ...up, status: 'paused' },
    { action: 'success', rid: null },
    {
      status: 'up',
      kind: 'success',
      flip: ['paused', 'up', 'success'],
      lastPingAt: T1,
      open: false,
      durationMs: null,
    },
  ],
  [
    'fail on a paused Token: down',
    { ...up, status: 'paused' },
    { action: 'fail', rid: null },
    {
      status: 'down',
      kind: 'fail',
      flip: ['paused', 'down', 'fail'],
      lastPingAt: T1,
      open: false,
      durationMs: null,
    },
  ],
  [
    'start on a paused Token resumes it',
    { ...up, status: 'paused' },
    { action: 'start', rid: null },
    {
      status: 'up',
      kind: 'start',
      flip: ['paused', 'up', 'resumed'],
      lastPingAt: EARLIER,
      open: true,
      durationMs: null,
    },
  ],
  [
    'start on a paused Token never pinged: new',
    { status: 'paused' },
    { action: 'start', rid: null },
    {
      status: 'new',
      kind: 'start',
      flip: ['paused', 'new', 'resumed'],
      lastPingAt: null,
      open: true,
      durationMs: null,
    },
  ],
  [
    'log on a paused Token leaves it paused',
    { ...up, status: 'paused' },
    { action: 'log', rid: null },
    {
      status: 'paused',
      kind: 'log',
      flip: null,
      lastPingAt: EARLIER,
      open: false,
      durationMs: null,
    },
  ],
  [
    'manual resume: success is ign, stays paused',
    { ...up, status: 'paused', manualResume: true },
    { action: 'success', rid: null },
    {
      status: 'paused',
      kind: 'ign',
      flip: null,
      lastPingAt: EARLIER,
      open: false,
      durationMs: null,
    },
  ],
  [
    'manual resume: fail is ign',
    { ...up, status: 'paused', manualResume: true },
    { action: 'fail', rid: null },
    {
      status: 'paused',
      kind: 'ign',
      flip: null,
      lastPingAt: EARLIER,
      open: false,
      durationMs: null,
    },
  ],
  [
    'manual resume: start is ign',
    { ...up, status: 'paused', manualResume: true },
    { action: 'start', rid: null },
    {
      status: 'paused',
      kind: 'ign',
      flip: null,
      lastPingAt: EARLIER,
      open: false,
      durationMs: null,
    },
  ],
  [
    'manual resume matters only while paused',
    { ...up, manualResume: true },
    { action: 'success', rid: null },
    { status: 'up', kind: 'success', flip: null, lastPingAt: T1, open: false, durationMs: null },
  ],
]

test.group('Ping semantics (healthchecks rules)', () => {
  test('{0}')
    .with(rows)
    .run(({ assert }, [, before, ping, expected]) => {
      const token = state(before)
      const outcome = recordPing(token, { at: T1, ...ping })
      assert.equal(token.status, expected.status)
      assert.equal(outcome.kind, expected.kind)
      assert.deepEqual(
        outcome.flip && [outcome.flip.oldStatus, outcome.flip.newStatus, outcome.flip.reason],
        expected.flip
      )
      assert.deepEqual(token.lastPingAt, expected.lastPingAt)
      assert.equal(token.lastStartAt !== null, expected.open)
      assert.equal(outcome.durationMs, expected.durationMs)
      assert.equal(token.nPings, 6, 'every ping counts, ign included')
    })

  test('a down or paused Token has no deadline; an open run is due within grace', ({ assert }) => {
    const down = state({ ...up, status: 'down' })
    recordPing(down, { action: 'start', at: T1, rid: null })
    assert.isNull(down.alertAfter)
    const open = state({ status: 'up', lastPingAt: T0 })
    recordPing(open, { action: 'start', at: T1, rid: null })
    assert.deepEqual(open.alertAfter, new Date(T1.getTime() + 600_000))
  })

  test('a schedule the parser rejects never fails the ping', ({ assert }) => {
    const token = state({ kind: 'cron', schedule: 'not a cron line', tz: 'Mars/Olympus' })
    const outcome = recordPing(token, { action: 'success', at: T1, rid: null })
    assert.equal(outcome.kind, 'success')
    assert.equal(token.status, 'up')
    assert.isNull(token.alertAfter)
  })
})
