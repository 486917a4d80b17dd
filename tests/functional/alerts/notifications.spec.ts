import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type Channel from '#models/channel'
import type Token from '#models/token'
import type User from '#models/user'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import LateDetector from '#services/tokens/late_detector'
import ChannelService from '#services/alerts/channel_service'
import TokenService from '#services/tokens/token_service'
import PingService from '#services/tokens/ping_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import {
  startHttpReceiver,
  startSmtpReceiver,
  allowPrivateReceivers,
} from '#tests/helpers/receivers'

async function webhookChannel(user: User, url: string, extra: Record<string, unknown> = {}) {
  return ChannelService.create(user, { kind: 'webhook', name: 'hook', config: { url, ...extra } })
}

/**
 * A Ping recorded by hand, through the same rules as one from the edge.
 */
function recordPing(token: Token, kind?: 'fail') {
  return PingService.record(
    token,
    { token: token.uuid, kind },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
}

async function attach(token: Token, ...channels: Channel[]) {
  return TokenService.update(token, { channels: channels.map((channel) => channel.id) })
}

test.group('Alerts: notifications that arrive', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('a fail ping sends one down notice per Channel, a success one up notice', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    const smtp = await startSmtpReceiver()
    const edge = await startEdge()
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'Nightly backup' })
      const hook = await webhookChannel(user, `${receiver.url}/hook`)
      const email = await ChannelService.create(user, {
        kind: 'email',
        name: 'ops',
        config: { to: 'ops@example.com' },
      })
      await attach(token, hook, email)
      const ingest = await makeIngest()
      const dispatcher = new FlipDispatcher()

      await fetch(`${edge.url}/ping/${token.uuid}/fail`)
      await drain(ingest)
      assert.equal(await dispatcher.runOnce(), 2)
      assert.lengthOf(receiver.requests, 1)
      assert.containSubset(JSON.parse(receiver.requests[0].body), {
        name: 'Nightly backup',
        status: 'down',
        uuid: token.uuid,
      })
      assert.lengthOf(smtp.mails, 1)
      assert.deepEqual(smtp.mails[0].to, ['ops@example.com'])
      assert.include(smtp.mails[0].data, 'Nightly backup is DOWN')

      await fetch(`${edge.url}/ping/${token.uuid}`)
      await drain(ingest)
      assert.equal(await dispatcher.runOnce(), 2)
      assert.lengthOf(receiver.requests, 2)
      assert.equal(JSON.parse(receiver.requests[1].body).status, 'up')
      assert.lengthOf(smtp.mails, 2)
      assert.equal(await dispatcher.runOnce(), 0)

      await hook.refresh()
      assert.isNotNull(hook.lastNotifyAt)
      assert.isNull(hook.lastError)
    } finally {
      await Promise.all([edge.close(), receiver.close(), smtp.close()])
    }
  })

  test('a first success (new → up) notifies no one', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const token = await makeToken(user)
      await attach(token, await webhookChannel(user, receiver.url))
      await recordPing(token)
      assert.equal(await new FlipDispatcher().runOnce(), 0)
      assert.lengthOf(receiver.requests, 0)
    } finally {
      await receiver.close()
    }
  })

  test('silence past timeout + grace sends a down notice', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const token = await makeToken(user, { timeout: 60, grace: 60 })
      await attach(token, await webhookChannel(user, receiver.url))
      await recordPing(token)
      const pingedAt = Date.now()
      const detector = new LateDetector()
      assert.equal(await detector.runOnce(new Date(pingedAt + 110_000)), 0)
      assert.equal(await detector.runOnce(new Date(pingedAt + 125_000)), 1)
      assert.equal(await detector.runOnce(new Date(pingedAt + 130_000)), 0)
      await new FlipDispatcher().runOnce()
      assert.lengthOf(receiver.requests, 1)
      assert.containSubset(JSON.parse(receiver.requests[0].body), {
        status: 'down',
        reason: 'timeout',
      })
      await token.refresh()
      assert.equal(token.status, 'down')
    } finally {
      await receiver.close()
    }
  })

  test('a receiver that fails three times then answers 200 gets the notice once', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver([500, 500, 500, 200])
    try {
      const user = await makeUser()
      const token = await makeToken(user)
      const hook = await webhookChannel(user, receiver.url)
      await attach(token, hook)
      await TokenService.pause(token)
      await new FlipDispatcher().runOnce()
      await recordPing(token, 'fail')
      await new FlipDispatcher().runOnce()
      assert.lengthOf(receiver.requests, 4)
      await hook.refresh()
      assert.match(hook.lastError ?? '', /answered 500/)
      assert.isNotNull(hook.lastNotifyAt)
    } finally {
      await receiver.close()
    }
  })

  test('webhook templates fill placeholders, escaped for JSON and URLs', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'Say "hi"', tags: ['a', 'b'] })
      const hook = await webhookChannel(user, `${receiver.url}/alert?name=$NAME`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-Status': '$STATUS' },
        body: '{"text": "$NAME went $STATUS", "tags": "$TAGS"}',
      })
      await attach(token, hook)
      await recordPing(token, 'fail')
      await new FlipDispatcher().runOnce()
      const [request] = receiver.requests
      assert.equal(request.method, 'PUT')
      assert.equal(request.url, '/alert?name=Say%20%22hi%22')
      assert.equal(request.headers['x-status'], 'down')
      assert.deepEqual(JSON.parse(request.body), { text: 'Say "hi" went down', tags: 'a b' })
    } finally {
      await receiver.close()
    }
  })

  test('a Channel kind with its own shape: Slack and ntfy', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'db' })
      const slack = await ChannelService.create(user, {
        kind: 'slack',
        name: 's',
        config: { url: `${receiver.url}/slack` },
      })
      const ntfy = await ChannelService.create(user, {
        kind: 'ntfy',
        name: 'n',
        config: { url: receiver.url, topic: 'ops' },
      })
      await attach(token, slack, ntfy)
      await recordPing(token, 'fail')
      await new FlipDispatcher().runOnce()
      const byPath = Object.fromEntries(receiver.requests.map((request) => [request.url, request]))
      assert.match(JSON.parse(byPath['/slack'].body).text, /^db is DOWN/)
      assert.containSubset(JSON.parse(byPath['/'].body), {
        topic: 'ops',
        title: 'db is DOWN',
        priority: 4,
      })
    } finally {
      await receiver.close()
    }
  })
})
