import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import LateDetector from '#services/tokens/late_detector'
import {
  checkLate,
  displayStatus,
  STATUS_RANK,
  STATUS_SQL,
  type DisplayStatus,
  type StoredStatus,
} from '#models/token_state'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { tokenState } from '#tests/helpers/token_state'
import { flushRedis } from '#tests/helpers/redis'

/** Times are seconds from `now`; null leaves the column empty. */
interface StatusCase {
  name: string
  status: StoredStatus
  grace: number
  lastPingIn: number | null
  alertAfterIn: number | null
  startedIn: number | null
  /** Seconds a run may take; left out: none, the grace applies */
  maxRuntime?: number
  expected: DisplayStatus
  /** The Flip's reason when late detection runs at `now`; null when the Token stays */
  late: 'timeout' | 'start_timeout' | 'max runtime' | 'maintenance_end' | null
  /** The end of the maintenance window covering the deadline */
  quietIn?: number
}

const G = 600

/**
 * One table of cases for the shown status, run against displayStatus and
 * against its SQL twin (STATUS_SQL, STATUS_RANK) on the same row and `now`.
 */
const CASES: StatusCase[] = [
  {
    name: 'new, never pinged',
    status: 'new',
    grace: G,
    lastPingIn: null,
    alertAfterIn: null,
    startedIn: null,
    expected: 'new',
    late: null,
  },
  {
    name: 'new, run open',
    status: 'new',
    grace: G,
    lastPingIn: null,
    alertAfterIn: G - 10,
    startedIn: -10,
    expected: 'started',
    late: null,
  },
  {
    name: 'new, run open past its grace',
    status: 'new',
    grace: G,
    lastPingIn: null,
    alertAfterIn: -1,
    startedIn: -G - 1,
    expected: 'started',
    late: 'start_timeout',
  },
  {
    name: 'up, run open',
    status: 'up',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: G - 10,
    startedIn: -10,
    expected: 'started',
    late: null,
  },
  {
    name: 'up, run open, deadline passed',
    status: 'up',
    grace: G,
    lastPingIn: -9000,
    alertAfterIn: -5,
    startedIn: -G - 5,
    expected: 'started',
    late: 'start_timeout',
  },
  {
    name: 'up, run open, a second before its max runtime',
    status: 'up',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: 1,
    startedIn: -119,
    maxRuntime: 120,
    expected: 'started',
    late: null,
  },
  {
    name: 'up, run open, exactly at its max runtime',
    status: 'up',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: 0,
    startedIn: -120,
    maxRuntime: 120,
    expected: 'started',
    late: 'max runtime',
  },
  {
    name: 'new, run open past its max runtime',
    status: 'new',
    grace: G,
    lastPingIn: null,
    alertAfterIn: -1,
    startedIn: -7201,
    maxRuntime: 7200,
    expected: 'started',
    late: 'max runtime',
  },
  {
    name: 'up, run open, the schedule deadline passed before the max runtime',
    status: 'up',
    grace: G,
    lastPingIn: -3600 - G - 5,
    alertAfterIn: -5,
    startedIn: -100,
    maxRuntime: 7200,
    expected: 'started',
    late: 'start_timeout',
  },
  {
    name: 'warning, before its deadline',
    status: 'warning',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: 3500 + G,
    startedIn: null,
    expected: 'warning',
    late: null,
  },
  {
    name: 'warning, past the expected moment',
    status: 'warning',
    grace: G,
    lastPingIn: -3601,
    alertAfterIn: G - 1,
    startedIn: null,
    expected: 'warning',
    late: null,
  },
  {
    name: 'warning, run open',
    status: 'warning',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: G - 10,
    startedIn: -10,
    expected: 'warning',
    late: null,
  },
  {
    name: 'warning, exactly at the deadline',
    status: 'warning',
    grace: G,
    lastPingIn: -3600 - G,
    alertAfterIn: 0,
    startedIn: null,
    expected: 'warning',
    late: 'timeout',
  },
  {
    name: 'up, no deadline',
    status: 'up',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: null,
    startedIn: null,
    expected: 'up',
    late: null,
  },
  {
    name: 'up, well before the expected moment',
    status: 'up',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: 3500 + G,
    startedIn: null,
    expected: 'up',
    late: null,
  },
  {
    name: 'up, a second before the expected moment',
    status: 'up',
    grace: G,
    lastPingIn: -3599,
    alertAfterIn: G + 1,
    startedIn: null,
    expected: 'up',
    late: null,
  },
  {
    name: 'grace, exactly at the expected moment',
    status: 'up',
    grace: G,
    lastPingIn: -3600,
    alertAfterIn: G,
    startedIn: null,
    expected: 'grace',
    late: null,
  },
  {
    name: 'grace, a second after the expected moment',
    status: 'up',
    grace: G,
    lastPingIn: -3601,
    alertAfterIn: G - 1,
    startedIn: null,
    expected: 'grace',
    late: null,
  },
  {
    name: 'grace, a second before the deadline',
    status: 'up',
    grace: G,
    lastPingIn: -3600 - G + 1,
    alertAfterIn: 1,
    startedIn: null,
    expected: 'grace',
    late: null,
  },
  {
    name: 'grace, exactly at the deadline',
    status: 'up',
    grace: G,
    lastPingIn: -3600 - G,
    alertAfterIn: 0,
    startedIn: null,
    expected: 'grace',
    late: 'timeout',
  },
  {
    name: 'grace, a second past the deadline, not yet flipped',
    status: 'up',
    grace: G,
    lastPingIn: -3600 - G - 1,
    alertAfterIn: -1,
    startedIn: null,
    expected: 'grace',
    late: 'timeout',
  },
  {
    name: 'no grace, a second before the deadline',
    status: 'up',
    grace: 0,
    lastPingIn: -59,
    alertAfterIn: 1,
    startedIn: null,
    expected: 'up',
    late: null,
  },
  {
    name: 'no grace, exactly at the deadline',
    status: 'up',
    grace: 0,
    lastPingIn: -60,
    alertAfterIn: 0,
    startedIn: null,
    expected: 'grace',
    late: 'timeout',
  },
  {
    name: 'down',
    status: 'down',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: null,
    startedIn: null,
    expected: 'down',
    late: null,
  },
  {
    name: 'down inside a window, a second before its end',
    status: 'down',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: 1,
    startedIn: null,
    expected: 'down',
    late: null,
  },
  {
    name: 'down inside a window, exactly at its end: judged again',
    status: 'down',
    grace: G,
    lastPingIn: -9000,
    alertAfterIn: 0,
    startedIn: null,
    expected: 'down',
    late: 'maintenance_end',
  },
  {
    name: 'down inside a window, past its end: judged again',
    status: 'down',
    grace: G,
    lastPingIn: -9000,
    alertAfterIn: -1,
    startedIn: null,
    expected: 'down',
    late: 'maintenance_end',
  },
  {
    name: 'past the deadline inside a window: down, judged again at its end',
    status: 'up',
    grace: G,
    lastPingIn: -3600 - G - 1,
    alertAfterIn: -1,
    startedIn: null,
    expected: 'grace',
    late: 'timeout',
    quietIn: 1800,
  },
  {
    name: 'past the deadline and past the window that covered it',
    status: 'up',
    grace: G,
    lastPingIn: -3600 - G - 10,
    alertAfterIn: -10,
    startedIn: null,
    expected: 'grace',
    late: 'timeout',
    quietIn: -1,
  },
  {
    name: 'down, run open',
    status: 'down',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: G - 10,
    startedIn: -10,
    expected: 'down',
    late: null,
  },
  {
    name: 'paused',
    status: 'paused',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: null,
    startedIn: null,
    expected: 'paused',
    late: null,
  },
  {
    name: 'paused, never pinged',
    status: 'paused',
    grace: G,
    lastPingIn: null,
    alertAfterIn: null,
    startedIn: null,
    expected: 'paused',
    late: null,
  },
  {
    name: 'paused, run open, deadline left behind',
    status: 'paused',
    grace: G,
    lastPingIn: -100,
    alertAfterIn: -1,
    startedIn: -10,
    expected: 'paused',
    late: null,
  },
]

/** STATUS_RANK's order: what needs a look first. */
const RANK: DisplayStatus[] = ['down', 'warning', 'grace', 'started', 'up', 'new', 'paused']

function at(now: Date, seconds: number | null): Date | null {
  return seconds === null ? null : new Date(now.getTime() + seconds * 1000)
}

test.group('Token status rules: displayStatus, checkLate and their SQL twins', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('every shown status appears in the table', ({ assert }) => {
    assert.sameMembers([...new Set(CASES.map((c) => c.expected))], Object.keys(STATUS_SQL))
    assert.sameMembers(RANK, Object.keys(STATUS_SQL))
  })

  test('{name}')
    .with(CASES)
    .run(async ({ assert }, c) => {
      // now() is fixed within the test's transaction; the JS side (and the late pass, which
      // takes a JS Date) gets the same moment in whole milliseconds
      const { rows } = await db.rawQuery("SELECT date_trunc('milliseconds', now()) AS now")
      const now = new Date(rows[0].now)
      const state = () =>
        tokenState({
          status: c.status,
          grace: c.grace,
          lastPingAt: at(now, c.lastPingIn),
          alertAfter: at(now, c.alertAfterIn),
          lastStartAt: at(now, c.startedIn),
          lastStartRid: null,
          quietUntil: at(now, c.quietIn ?? null),
          maxRuntime: c.maxRuntime ?? null,
        })
      assert.equal(displayStatus(state(), now), c.expected, 'displayStatus')
      const judged = state()
      const change = checkLate(judged, now)
      assert.equal(change?.reason ?? null, c.late, 'checkLate')

      // the row's times are set from that moment, so "exactly at" is exact for both sides; now()
      // is at most a millisecond later, on the side every boundary already counts as reached
      const token = await makeToken(await makeUser(), { name: c.name })
      const sec = "date_trunc('milliseconds', now()) + ? * interval '1 second'"
      await db.rawQuery(
        `UPDATE tokens SET status = ?, grace = ?, max_runtime = ?,
          last_ping_at = CASE WHEN ?::float8 IS NULL THEN NULL ELSE ${sec} END,
          alert_after = CASE WHEN ?::float8 IS NULL THEN NULL ELSE ${sec} END,
          last_start_at = CASE WHEN ?::float8 IS NULL THEN NULL ELSE ${sec} END,
          quiet_until = CASE WHEN ?::float8 IS NULL THEN NULL ELSE ${sec} END
        WHERE id = ?`,
        [
          c.status,
          c.grace,
          c.maxRuntime ?? null,
          c.lastPingIn,
          c.lastPingIn,
          c.alertAfterIn,
          c.alertAfterIn,
          c.startedIn,
          c.startedIn,
          c.quietIn ?? null,
          c.quietIn ?? null,
          token.id,
        ]
      )
      const matched: string[] = []
      for (const [status, condition] of Object.entries(STATUS_SQL)) {
        const hit = await db.rawQuery(`SELECT id FROM tokens WHERE id = ? AND (${condition})`, [
          token.id,
        ])
        if (hit.rows.length > 0) {
          matched.push(status)
        }
      }
      assert.deepEqual(matched, [c.expected], 'STATUS_SQL')
      const rank = await db.rawQuery(`SELECT ${STATUS_RANK} AS rank FROM tokens WHERE id = ?`, [
        token.id,
      ])
      assert.equal(rank.rows[0].rank, RANK.indexOf(c.expected), 'STATUS_RANK')

      // the scheduler's pass (LATE_SQL) at the same moment flips the row as checkLate does
      await new LateDetector().runOnce(now)
      const flips = await db
        .from('flips')
        .where('token_id', token.id)
        .select('reason', 'old_status', 'new_status')
      assert.deepEqual(
        flips.map((flip) => flip.reason),
        c.late ? [c.late] : [],
        'LATE_SQL'
      )
      assert.deepEqual(
        flips.map((flip) => [flip.old_status, flip.new_status]),
        change ? [[change.oldStatus, change.newStatus]] : [],
        "LATE_SQL's Flip goes from and to the statuses checkLate's does"
      )
      const row = await db.from('tokens').where('id', token.id).select('alert_after').first()
      assert.equal(
        row.alert_after?.getTime() ?? null,
        judged.alertAfter?.getTime() ?? null,
        'LATE_SQL keeps the deadline as checkLate does'
      )
    })
})
