import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import Flip from '#models/flip'
import User from '#models/user'
import LateDetector from '#services/tokens/late_detector'
import PingService from '#services/tokens/ping_service'
import TokenService from '#services/tokens/token_service'
import { pruneFlips } from '#services/tokens/flip_pruner'
import { PingPruner } from '#services/tokens/ping_pruner'
import Ping from '#models/ping'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { waitFor } from '#tests/helpers/worker_process'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'

const source = { method: 'API', remoteAddr: '', userAgent: '' }

test.group('Alerts: late detection with two schedulers', (group) => {
  group.each.setup(() => flushRedis())

  test('two schedulers at once flip each overdue Token exactly once', async ({
    assert,
    cleanup,
  }) => {
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
    })
    const tokens = []
    for (let i = 0; i < 40; i++) {
      const token = await makeToken(user, { name: `job ${i}`, timeout: 60, grace: 60 })
      await PingService.record(token, { token: token.uuid }, source)
      tokens.push(token)
    }
    const later = new Date(Date.now() + 10 * 60_000)
    const [a, b] = await Promise.all([
      new LateDetector(7).runOnce(later),
      new LateDetector(7).runOnce(later),
    ])
    assert.equal(a + b, 40)
    const flips = await Flip.query()
      .whereIn(
        'token_id',
        tokens.map((token) => token.id)
      )
      .where('new_status', 'down')
    assert.lengthOf(flips, 40)
    const statuses = await db.from('tokens').where('user_id', user.id).distinct('status')
    assert.deepEqual(statuses, [{ status: 'down' }])
  })
})

/**
 * Whether a late-detection statement on another connection waits for a row
 * lock (it would, were the rows it wants held and not skipped).
 */
async function passWaitsOnLock() {
  const result = await db.rawQuery(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH due AS%'`
  )
  return result.rows[0].n > 0
}

test.group('Alerts: late detection while another pass holds its rows', () => {
  test('a pass running while another holds its rows flips nothing twice', async ({
    assert,
    cleanup,
  }) => {
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
    })
    const tokens = []
    for (let i = 0; i < 5; i++) {
      const token = await makeToken(user, { name: `held ${i}`, timeout: 60, grace: 60 })
      await PingService.record(token, { token: token.uuid }, source)
      tokens.push(token)
    }
    const later = new Date(Date.now() + 10 * 60_000)

    // The first scheduler's pass, on its own connection, holds its rows uncommitted...
    const first = await db.transaction()
    cleanup(async () => {
      if (!first.isCompleted) {
        await first.rollback()
      }
    })
    const held = await new LateDetector().runOnce(later, first)
    assert.equal(held, 5)

    // ...while the second runs on another connection, until it ends or waits on a lock.
    let secondEnded = false
    const second = new LateDetector().runOnce(later).finally(() => (secondEnded = true))
    await waitFor(
      'the second pass to end or wait on the rows the first holds',
      async () => secondEnded || (await passWaitsOnLock()),
      Boolean
    )
    await first.commit()
    assert.equal(held + (await second), 5)

    const flips = await Flip.query()
      .whereIn(
        'token_id',
        tokens.map((token) => token.id)
      )
      .where('new_status', 'down')
    assert.sameMembers(
      flips.map((flip) => flip.tokenId),
      tokens.map((token) => token.id)
    )
  })
})

test.group('Alerts: schedules and retention', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a cron Token across a DST change goes down at the right local time', async ({ assert }) => {
    const user = await makeUser()
    // Daily at 09:00 Berlin time; Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
    const token = await makeToken(user, {
      kind: 'cron',
      schedule: '0 9 * * *',
      tz: 'Europe/Berlin',
      grace: 600,
    })
    const state = token.toState()
    state.status = 'up'
    state.lastPingAt = new Date('2026-03-28T08:00:00Z')
    token.applyState(state)
    token.refreshAlertAfter()
    await token.save()
    assert.equal(token.alertAfter?.toUTC().toISO(), '2026-03-29T07:10:00.000Z')

    const detector = new LateDetector()
    assert.equal(await detector.runOnce(new Date('2026-03-29T07:09:59Z')), 0)
    assert.equal(await detector.runOnce(new Date('2026-03-29T07:10:00Z')), 1)
  })

  test('an OnCalendar Token pinged through the edge goes down after its next run plus grace', async ({
    assert,
  }) => {
    // every 20 minutes on Kathmandu's clocks (UTC+5:45): :15, :35 and :55 past each UTC hour
    const token = await makeToken(await makeUser(), {
      kind: 'oncalendar',
      schedule: '*-*-* *:00/20:00',
      tz: 'Asia/Kathmandu',
      grace: 300,
    })
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`), 200)
      await drain(await makeIngest())
    } finally {
      await edge.close()
    }
    await token.refresh()
    assert.equal(token.status, 'up')
    const pingedAt = token.lastPingAt!.toMillis()
    let nextRun = Math.floor(pingedAt / 60_000) * 60_000 + 60_000
    while (![15, 35, 55].includes(new Date(nextRun).getUTCMinutes())) nextRun += 60_000
    assert.equal(token.alertAfter!.toMillis(), nextRun + 300_000)

    const detector = new LateDetector()
    assert.equal(await detector.runOnce(new Date(nextRun + 299_000)), 0)
    assert.equal(await detector.runOnce(new Date(nextRun + 300_000)), 1)
    const flip = await Flip.query().where('token_id', token.id).orderBy('id', 'desc').firstOrFail()
    assert.deepEqual([flip.oldStatus, flip.newStatus, flip.reason], ['up', 'down', 'timeout'])
  })

  test('a started run goes down when no end arrives within grace', async ({ assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { timeout: 86400, grace: 300 })
    await PingService.record(token, { token: token.uuid, kind: 'start' }, source)
    const detector = new LateDetector()
    assert.equal(await detector.runOnce(new Date(Date.now() + 290_000)), 0)
    assert.equal(await detector.runOnce(new Date(Date.now() + 310_000)), 1)
    const flip = await Flip.query().where('token_id', token.id).orderBy('id', 'desc').firstOrFail()
    assert.equal(flip.reason, 'start_timeout')
  })

  test('paused and down Tokens are never flipped', async ({ assert }) => {
    const user = await makeUser()
    const paused = await makeToken(user, { timeout: 60, grace: 60 })
    await PingService.record(paused, { token: paused.uuid }, source)
    await TokenService.pause(paused)
    const down = await makeToken(user, { timeout: 60, grace: 60 })
    await PingService.record(down, { token: down.uuid, kind: 'fail' }, source)
    assert.equal(await new LateDetector().runOnce(new Date(Date.now() + 3600_000)), 0)
  })

  test('Flips older than 93 days are pruned, newer ones kept', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const now = new Date('2026-06-01T00:00:00Z')
    const { DateTime } = await import('luxon')
    for (const days of [100, 94, 92, 1]) {
      await Flip.create({
        tokenId: token.id,
        oldStatus: 'up',
        newStatus: 'down',
        reason: 'test',
        createdAt: DateTime.fromJSDate(new Date(now.getTime() - days * 86_400_000)),
      })
    }
    assert.equal(await pruneFlips(now, 1), 2)
    const left = await Flip.query().where('token_id', token.id)
    assert.lengthOf(left, 2)
  })

  test('the daily sweep trims idle Tokens to their last Pings', async ({ assert }) => {
    const user = await makeUser()
    const idle = await makeToken(user)
    const { DateTime } = await import('luxon')
    for (let i = 0; i < 8; i++) {
      await Ping.create({
        tokenId: idle.id,
        kind: 'success',
        createdAt: DateTime.now(),
        method: 'GET',
        remoteAddr: '',
        userAgent: '',
      })
    }
    idle.nPings = 8
    await idle.save()
    const swept = await new PingPruner(5).sweep()
    assert.equal(swept.deleted, 3)
    const left = await Ping.query().where('token_id', idle.id).orderBy('id')
    assert.lengthOf(left, 5)
  })
})
