import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Token from '#models/token'
import type User from '#models/user'
import Flip from '#models/flip'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import LateDetector from '#services/tokens/late_detector'
import ChannelService from '#services/alerts/channel_service'
import TokenService from '#services/tokens/token_service'
import PingService from '#services/tokens/ping_service'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { startHttpReceiver, allowPrivateReceivers } from '#tests/helpers/receivers'

function ping(token: Token, kind?: 'fail') {
  return PingService.record(
    token,
    { token: token.uuid, kind },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
}

/** A Token whose Flips go to a webhook on `receiver`. */
async function watched(user: User, receiverUrl: string, name: string, extra = {}) {
  const token = await makeToken(user, { name, ...extra })
  const hook = await ChannelService.create(user, {
    kind: 'webhook',
    name: `hook ${name}`,
    config: { url: `${receiverUrl}/${name}` },
  })
  return TokenService.update(token, { channels: [hook.id] })
}

async function flipsOf(token: Token) {
  return Flip.query().where('token_id', token.id).orderBy('id')
}

async function lastFlipOf(token: Token) {
  return Flip.query().where('token_id', token.id).orderBy('id', 'desc').firstOrFail()
}

test.group('Alerts: maintenance windows and dependencies', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('a snooze by URL, through the edge and the worker, silences a fail; its end judges the Token again', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    const edge = await startEdge()
    try {
      const token = await watched(await makeUser(), receiver.url, 'nightly')
      const ingest = await makeIngest()
      const dispatcher = new FlipDispatcher()
      await fetch(`${edge.url}/ping/${token.uuid}`)
      await drain(ingest)

      const snoozed = await fetch(`${edge.url}/ping/${token.uuid}/snooze?minutes=60`)
      assert.equal(snoozed.status, 200)
      await drain(ingest)
      await token.refresh()
      assert.approximately(token.snoozeUntil!.toMillis(), Date.now() + 3_600_000, 10_000)
      assert.equal(token.nPings, 1, 'a snooze is no Ping')

      await fetch(`${edge.url}/ping/${token.uuid}/fail`)
      await drain(ingest)
      assert.equal(await dispatcher.runOnce(), 0)
      assert.lengthOf(receiver.requests, 0)
      const [, down] = await flipsOf(token)
      assert.deepInclude(down.$attributes, {
        newStatus: 'down',
        reason: 'fail',
        silenced: 'maintenance',
      })

      // ending the snooze early: the Token, still down, is judged at the next late pass
      await fetch(`${edge.url}/ping/${token.uuid}/snooze?minutes=0`)
      await drain(ingest)
      assert.equal(await new LateDetector().runOnce(new Date(Date.now() + 1000)), 1)
      assert.equal(await dispatcher.runOnce(), 1)
      assert.lengthOf(receiver.requests, 1)
      assert.containSubset(JSON.parse(receiver.requests[0].body), {
        status: 'down',
        oldStatus: 'down',
        reason: 'maintenance_end',
      })
    } finally {
      await Promise.all([edge.close(), receiver.close()])
    }
  })

  test('a scheduled window silences lateness and the Token is judged at its end', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const token = await watched(user, receiver.url, 'etl', { timeout: 60, grace: 60 })
      const deadline = Date.now() + 120_000
      // a 10-minute window, every day, opening on the minute of the deadline (UTC)
      const opens = new Date(Math.floor(deadline / 60_000) * 60_000)
      const ends = opens.getTime() + 600_000
      await TokenService.update(token, {
        maintenance_schedule: `${opens.getUTCMinutes()} ${opens.getUTCHours()} * * *`,
        maintenance_minutes: 10,
        maintenance_tz: 'UTC',
      })
      await ping(token)
      await token.refresh()
      assert.equal(token.quietUntil?.toMillis(), ends)

      const detector = new LateDetector()
      const dispatcher = new FlipDispatcher()
      const pastDeadline = new Date(token.alertAfter!.toMillis() + 1000)
      assert.equal(await detector.runOnce(pastDeadline), 1)
      assert.equal(await dispatcher.runOnce(), 0)
      assert.lengthOf(receiver.requests, 0)
      await token.refresh()
      assert.equal(token.status, 'down')
      assert.equal(token.alertAfter?.toMillis(), ends, 'the window end is the new deadline')
      const silenced = await lastFlipOf(token)
      assert.deepInclude(silenced.$attributes, { reason: 'timeout', silenced: 'maintenance' })

      assert.equal(await detector.runOnce(new Date(ends - 1)), 0)
      assert.equal(await detector.runOnce(new Date(ends)), 1)
      assert.equal(await dispatcher.runOnce(), 1)
      assert.lengthOf(receiver.requests, 1)
      assert.containSubset(JSON.parse(receiver.requests[0].body), {
        name: 'etl',
        status: 'down',
        reason: 'maintenance_end',
      })
      assert.equal(await detector.runOnce(new Date(ends + 60_000)), 0)
    } finally {
      await receiver.close()
    }
  })

  test('an OnCalendar window set through the API silences a fail inside it, not outside', async ({
    client,
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const key = await makeApiKey(user)
      const zone = 'America/New_York'
      const wall = (instant: number) => {
        const parts = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }).formatToParts(instant)
        const part = (type: string) => parts.find((item) => item.type === type)!.value
        return { weekday: part('weekday'), time: `${part('hour')}:${part('minute')}` }
      }
      const withWindow = async (name: string, opensAt: number) => {
        const hook = await ChannelService.create(user, {
          kind: 'webhook',
          name: `hook ${name}`,
          config: { url: `${receiver.url}/${name}` },
        })
        const opens = wall(opensAt)
        const created = await client
          .post('/api/v1/tokens')
          .bearerToken(key)
          .json({
            name,
            channels: [hook.id],
            maintenance_schedule: `${opens.weekday} *-*-* ${opens.time}`,
            maintenance_minutes: 30,
            maintenance_tz: zone,
          })
        created.assertStatus(201)
        return Token.findByOrFail('uuid', created.body().data.id)
      }
      // one window opened this minute (New York wall clock), one three hours ago and long shut
      const inside = await withWindow('inside', Date.now())
      const outside = await withWindow('outside', Date.now() - 3 * 3_600_000)
      const dispatcher = new FlipDispatcher()
      for (const token of [inside, outside]) {
        await ping(token)
        await ping(token, 'fail')
      }
      assert.equal(await dispatcher.runOnce(), 1)
      assert.deepEqual(
        receiver.requests.map((request) => request.url),
        ['/outside']
      )
      const [silenced, heard] = [await lastFlipOf(inside), await lastFlipOf(outside)]
      assert.deepInclude(silenced.$attributes, { newStatus: 'down', silenced: 'maintenance' })
      assert.deepInclude(heard.$attributes, { newStatus: 'down', silenced: null })

      // at the window's end (the clock handed to the late pass), the Token is judged again
      await inside.refresh()
      const ends = inside.alertAfter!.toMillis()
      assert.isAtMost(ends, Date.now() + 30 * 60_000)
      assert.equal(await new LateDetector().runOnce(new Date(ends - 1)), 0)
      assert.equal(await new LateDetector().runOnce(new Date(ends)), 1)
      assert.equal(await dispatcher.runOnce(), 1)
      assert.equal(receiver.requests[1].url, '/inside')
      assert.equal(JSON.parse(receiver.requests[1].body).reason, 'maintenance_end')
    } finally {
      await receiver.close()
    }
  })

  test('a Token that recovers inside its window notifies nobody, before or after', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const token = await watched(await makeUser(), receiver.url, 'web')
      await ping(token)
      await TokenService.snooze(token, 30)
      await ping(token, 'fail')
      await ping(token)
      assert.equal(await new FlipDispatcher().runOnce(), 0)
      await token.refresh()
      assert.equal(token.status, 'up')
      assert.equal(await new LateDetector().runOnce(new Date(Date.now() + 31 * 60_000)), 0)
      const flips = await flipsOf(token)
      assert.deepEqual(
        flips.map((flip) => flip.silenced),
        [null, 'maintenance', 'maintenance']
      )
    } finally {
      await receiver.close()
    }
  })

  test("a parent down silences its child's down, and the parent's message names the child", async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const parent = await watched(user, receiver.url, 'router')
      const child = await watched(user, receiver.url, 'backup-over-vpn')
      await TokenService.update(child, { depends_on: [parent.uuid] })
      await ping(parent)
      await ping(child)
      const dispatcher = new FlipDispatcher()
      await dispatcher.runOnce()

      await ping(parent, 'fail')
      await ping(child, 'fail')
      assert.equal(await dispatcher.runOnce(), 1)
      assert.lengthOf(receiver.requests, 1)
      assert.equal(receiver.requests[0].url, '/router')
      const sent = JSON.parse(receiver.requests[0].body)
      assert.containSubset(sent, { name: 'router', status: 'down' })
      assert.deepEqual(sent.silencedChildren, ['backup-over-vpn'])
      const childDown = await lastFlipOf(child)
      assert.deepInclude(childDown.$attributes, { newStatus: 'down', silenced: 'dependency' })

      // the child's recovery is as quiet as its down; the parent's is heard
      await ping(child)
      await ping(parent)
      assert.equal(await dispatcher.runOnce(), 1)
      assert.lengthOf(receiver.requests, 2)
      assert.equal(receiver.requests[1].url, '/router')
      assert.equal(JSON.parse(receiver.requests[1].body).status, 'up')
    } finally {
      await receiver.close()
    }
  })

  test('a child down while its parent is up is notified as usual', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const parent = await watched(user, receiver.url, 'router')
      const child = await watched(user, receiver.url, 'backup')
      await TokenService.update(child, { depends_on: [parent.uuid] })
      await ping(parent)
      await ping(child, 'fail')
      assert.equal(await new FlipDispatcher().runOnce(), 1)
      assert.equal(receiver.requests[0].url, '/backup')
    } finally {
      await receiver.close()
    }
  })
})
