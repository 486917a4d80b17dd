import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import type Token from '#models/token'
import User from '#models/user'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import { ReminderPass } from '#services/alerts/reminders'
import ChannelService from '#services/alerts/channel_service'
import TokenService from '#services/tokens/token_service'
import PingService from '#services/tokens/ping_service'
import { pruneFlips } from '#services/tokens/flip_pruner'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import {
  startHttpReceiver,
  startSmtpReceiver,
  allowPrivateReceivers,
} from '#tests/helpers/receivers'

function ping(token: Token, kind?: 'fail') {
  return PingService.record(
    token,
    { token: token.uuid, kind },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
}

/** A Token alerting a webhook on `url` that repeats every `repeat` seconds */
async function watched(user: User, url: string, name: string, repeat: number | null = 600) {
  const token = await makeToken(user, { name })
  const hook = await ChannelService.create(user, {
    kind: 'webhook',
    name: `hook ${name}`,
    config: { url: `${url}/${name}` },
    repeat_interval: repeat,
  })
  await TokenService.update(token, { channels: [hook.id] })
  return { token, hook }
}

/** Down now, its down notice sent; returns the moment it went down */
async function downNow(token: Token) {
  await ping(token, 'fail')
  await new FlipDispatcher().runOnce()
  await token.refresh()
  const flip = await db
    .from('flips')
    .where('token_id', token.id)
    .where('new_status', 'down')
    .orderBy('id', 'desc')
    .firstOrFail()
  return (flip.created_at as Date).getTime()
}

const after = (from: number, seconds: number) => new Date(from + seconds * 1000)

test.group('Alerts: repeat alerts while a Token stays down', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('a down Token is reminded at its Channel interval, saying for how long, and not after recovery', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    const smtp = await startSmtpReceiver()
    try {
      const user = await makeUser()
      const { token, hook } = await watched(user, receiver.url, 'nightly')
      const email = await ChannelService.create(user, {
        kind: 'email',
        name: 'ops',
        config: { to: 'ops@example.com' },
        repeat_interval: 3600,
      })
      await TokenService.update(token, { channels: [hook.id, email.id] })
      const down = await downNow(token)
      assert.lengthOf(receiver.requests, 1)
      assert.lengthOf(smtp.mails, 1)

      const pass = new ReminderPass()
      assert.equal(await pass.runOnce(after(down, 599)), 0)
      assert.equal(await pass.runOnce(after(down, 601)), 1)
      assert.lengthOf(receiver.requests, 2)
      const reminder = JSON.parse(receiver.requests[1].body)
      assert.containSubset(reminder, {
        status: 'down',
        reason: 'fail',
        text: '[reminder] nightly is still DOWN, for 10 min 1 s',
      })
      assert.equal(Date.parse(reminder.reminder.downSince), down)

      assert.equal(await pass.runOnce(after(down, 900)), 0, 'not before the next interval')
      assert.equal(await pass.runOnce(after(down, 1201)), 1)
      assert.equal(await pass.runOnce(after(down, 3601)), 2, 'the webhook and the email')
      assert.lengthOf(smtp.mails, 2)
      assert.include(smtp.mails[1].data, '[reminder] nightly is still DOWN, for 1 h')
      assert.include(smtp.mails[1].data, 'Reminder: nightly is still DOWN, for 1 h')
      const sent = receiver.requests.length

      await ping(token)
      assert.equal(await new FlipDispatcher().runOnce(), 2, 'the up notices')
      assert.equal(JSON.parse(receiver.requests[sent].body).status, 'up')
      assert.equal(await pass.runOnce(after(down, 7200)), 0)
      assert.equal(await pass.runOnce(after(down, 86_400)), 0)
      assert.lengthOf(receiver.requests, sent + 1)
      assert.lengthOf(smtp.mails, 3)
    } finally {
      await Promise.all([receiver.close(), smtp.close()])
    }
  })

  test('a Channel without a repeat interval is told once', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const { token } = await watched(await makeUser(), receiver.url, 'once', null)
      const down = await downNow(token)
      assert.equal(await new ReminderPass().runOnce(after(down, 7 * 86_400)), 0)
      assert.lengthOf(receiver.requests, 1)
    } finally {
      await receiver.close()
    }
  })

  test('a Channel that starts repeating reminds of the Tokens down now', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const { token, hook } = await watched(await makeUser(), receiver.url, 'late', null)
      const down = await downNow(token)
      await ChannelService.update(hook, { repeat_interval: 3600 })
      const pass = new ReminderPass()
      assert.equal(await pass.runOnce(after(down, 3000)), 0)
      assert.equal(await pass.runOnce(after(down, 3601)), 1)
      assert.equal(
        JSON.parse(receiver.requests[1].body).text,
        '[reminder] late is still DOWN, for 1 h'
      )
    } finally {
      await receiver.close()
    }
  })

  test('a repeating Channel attached to a Token already down reminds of it', async ({
    assert,
    client,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const { token, hook } = await watched(user, receiver.url, 'first', null)
      const down = await downNow(token)
      const repeating = await ChannelService.create(user, {
        kind: 'webhook',
        name: 'pager',
        config: { url: `${receiver.url}/pager` },
        repeat_interval: 600,
      })
      const attached = await client
        .patch(`/api/v1/tokens/${token.uuid}`)
        .bearerToken(await makeApiKey(user))
        .json({ channels: [hook.id, repeating.id] })
      attached.assertStatus(200)
      assert.equal(await new ReminderPass().runOnce(after(down, 601)), 1)
      assert.equal(receiver.requests.at(-1)!.url, '/pager')
    } finally {
      await receiver.close()
    }
  })

  test('a webhook template says a reminder by $DOWN_FOR, empty on the first notice', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'db' })
      const hook = await ChannelService.create(user, {
        kind: 'webhook',
        name: 'templated',
        config: { url: receiver.url, body: '{"text": "$NAME is $STATUS", "for": "$DOWN_FOR"}' },
        repeat_interval: 1800,
      })
      await TokenService.update(token, { channels: [hook.id] })
      const down = await downNow(token)
      await new ReminderPass().runOnce(after(down, 1800))
      assert.deepEqual(
        receiver.requests.map((request) => JSON.parse(request.body)),
        [
          { text: 'db is down', for: '' },
          { text: 'db is down', for: '30 min' },
        ]
      )
    } finally {
      await receiver.close()
    }
  })

  test('a Token down past the Flip retention is still reminded', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const { token } = await watched(await makeUser(), receiver.url, 'forever', 86_400)
      await downNow(token)
      const ago = `now() - interval '100 days'`
      await db.rawQuery(`UPDATE flips SET created_at = ${ago} WHERE token_id = ?`, [token.id])
      await db.rawQuery(`UPDATE reminders SET down_since = ${ago} WHERE token_id = ?`, [token.id])
      await pruneFlips()
      assert.equal(await new ReminderPass().runOnce(after(Date.now(), 86_401)), 1)
      assert.match(JSON.parse(receiver.requests[1].body).text, /still DOWN, for 101 days$/)
    } finally {
      await receiver.close()
    }
  })

  test('no reminder while paused, in a maintenance window or while a parent is down', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const pass = new ReminderPass()
      const { token: paused } = await watched(user, receiver.url, 'paused')
      const { token: snoozed } = await watched(user, receiver.url, 'snoozed')
      const { token: parent } = await watched(user, receiver.url, 'parent', null)
      const { token: child } = await watched(user, receiver.url, 'child')
      await TokenService.update(child, { depends_on: [parent.uuid] })

      const down = await downNow(paused)
      await downNow(snoozed)
      await downNow(child)
      await TokenService.pause(paused)
      await TokenService.snooze(snoozed, 60, after(down, 60))
      await downNow(parent)
      const told = receiver.requests.length

      assert.equal(await pass.runOnce(after(down, 700)), 0)
      assert.lengthOf(receiver.requests, told)

      // the window over and the parent back up, the two still down are reminded again
      await ping(parent)
      await new FlipDispatcher().runOnce()
      assert.equal(await pass.runOnce(after(down, 3700)), 2)
      const reminded = receiver.requests.slice(-2).map((request) => request.url)
      assert.sameMembers(reminded, ['/snoozed', '/child'])
    } finally {
      await receiver.close()
    }
  })

  test('the Channel form and the API set and show repeat_interval', async ({ assert, client }) => {
    const user = await makeUser()
    const { hook } = await watched(user, 'https://hooks.example.com', 'api', null)
    const key = await makeApiKey(user)
    const changed = await client
      .patch(`/api/v1/channels/${hook.id}`)
      .bearerToken(key)
      .json({ repeat_interval: 3600 })
    changed.assertStatus(200)
    assert.equal(changed.body().data.repeat_interval, 3600)
    const refused = await client
      .patch(`/api/v1/channels/${hook.id}`)
      .bearerToken(key)
      .json({ repeat_interval: 60 })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'repeat_interval')
    const off = await client
      .patch(`/api/v1/channels/${hook.id}`)
      .bearerToken(key)
      .json({ repeat_interval: null })
    assert.isNull(off.body().data.repeat_interval)

    const form = await client.get(`/channels/${hook.id}/edit`).loginAs(user)
    assert.include(form.text(), 'repeat every hour')
    const saved = await client
      .put(`/channels/${hook.id}`)
      .form({
        'name': 'api',
        'config[url]': 'https://hooks.example.com/api',
        'repeat_interval': '1800',
      })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    saved.assertStatus(302)
    await hook.refresh()
    assert.equal(hook.repeatInterval, 1800)
    const list = await client.get('/channels').loginAs(user)
    assert.include(list.text(), 'repeats every 30 min while down')
    await client
      .put(`/channels/${hook.id}`)
      .form({
        'name': 'api',
        'config[url]': 'https://hooks.example.com/api',
        'repeat_interval': '',
      })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    await hook.refresh()
    assert.isNull(hook.repeatInterval, '"notify once" turns repeats off')
    const once = await client.get('/channels').loginAs(user)
    assert.notInclude(once.text(), 'repeats every')
    assert.notInclude(once.text(), '@if(', 'the template tags are read, not printed')

    const document = await client.get('/api/v1/openapi.json')
    const { schemas } = document.body().components
    for (const name of ['ChannelInput', 'ChannelChanges']) {
      assert.containSubset(schemas[name].properties.repeat_interval, {
        minimum: 300,
        maximum: 604800,
      })
      assert.include(schemas[name].properties.repeat_interval.description, 'reminder')
    }
    assert.property(schemas.Channel.properties, 'repeat_interval')
  })
})

test.group('Alerts: repeat alerts with two schedulers', (group) => {
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('two passes at once send each reminder once', async ({ assert, cleanup }) => {
    const receiver = await startHttpReceiver()
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
      await receiver.close()
    })
    const hook = await ChannelService.create(user, {
      kind: 'webhook',
      name: 'shared',
      config: { url: receiver.url },
      repeat_interval: 600,
    })
    for (let i = 0; i < 24; i++) {
      const token = await makeToken(user, { name: `job ${i}` })
      await TokenService.update(token, { channels: [hook.id] })
      await ping(token, 'fail')
    }
    const dispatcher = new FlipDispatcher()
    while ((await dispatcher.runOnce()) > 0) {}
    assert.lengthOf(receiver.requests, 24)

    const later = new Date(Date.now() + 601_000)
    const [a, b] = await Promise.all([
      new ReminderPass(5).runOnce(later),
      new ReminderPass(5).runOnce(later),
    ])
    assert.equal(a + b, 24)
    assert.lengthOf(receiver.requests, 48)
    const names = receiver.requests.slice(24).map((request) => JSON.parse(request.body).name)
    assert.lengthOf(new Set(names), 24, 'each Token reminded once')
  })
})
