import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type Token from '#models/token'
import Flip from '#models/flip'
import PingService from '#services/tokens/ping_service'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import ChannelService from '#services/alerts/channel_service'
import LateDetector from '#services/tokens/late_detector'
import TokenService from '#services/tokens/token_service'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'
import { startHttpReceiver, allowPrivateReceivers } from '#tests/helpers/receivers'

const RID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const API_SOURCE = { method: 'API', remoteAddr: '', userAgent: '' }

function lastOf<T>(list: T[]) {
  return list.at(-1)
}

async function flipsOf(token: Token) {
  const flips = await Flip.query().where('token_id', token.id).orderBy('id')
  return flips.map((flip) => [flip.oldStatus, flip.newStatus, flip.reason])
}

/**
 * Sends pings to the edge one after another, then lets a worker store them all.
 */
async function pingAll(edgeUrl: string, paths: string[]) {
  for (const path of paths) {
    const status = await statusOf(edgeUrl, path)
    if (status !== 200) {
      throw new Error(`${path} answered ${status}`)
    }
  }
  await drain(await makeIngest())
}

test.group('Run rules: pings through the edge, the worker and the late pass', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('max_runtime: a started run with no end goes down with reason "max runtime"', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser(), { grace: 3600, max_runtime: 120 })
    const edge = await startEdge()
    try {
      await pingAll(edge.url, [`/ping/${token.uuid}`, `/ping/${token.uuid}/start?rid=${RID}`])
    } finally {
      await edge.close()
    }
    await token.refresh()
    const started = token.lastStartAt!.toMillis()
    // the run's limit is the deadline, not its grace of an hour
    assert.equal(token.alertAfter!.toMillis(), started + 120_000)
    const detector = new LateDetector()
    assert.equal(await detector.runOnce(new Date(started + 119_000)), 0)
    assert.equal(await detector.runOnce(new Date(started + 120_000)), 1)
    assert.deepEqual(lastOf(await flipsOf(token)), ['up', 'down', 'max runtime'])
  })

  test('max_runtime: a run that ends in time clears the run deadline', async ({ assert }) => {
    const token = await makeToken(await makeUser(), { timeout: 3600, max_runtime: 120 })
    const edge = await startEdge()
    try {
      await pingAll(edge.url, [
        `/ping/${token.uuid}/start?rid=${RID}`,
        `/ping/${token.uuid}?rid=${RID}`,
      ])
    } finally {
      await edge.close()
    }
    await token.refresh()
    const endedAt = token.lastPingAt!.toMillis()
    assert.equal(await new LateDetector().runOnce(new Date(endedAt + 3600_000)), 0)
    assert.equal(token.status, 'up')
  })

  test('min_interval: a success too soon warns once; one after the interval clears it', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser(), { min_interval: 2 })
    const edge = await startEdge()
    try {
      const ping = `/ping/${token.uuid}`
      await pingAll(edge.url, [ping, ping, ping])
      await token.refresh()
      assert.equal(token.status, 'warning')
      assert.equal(token.displayStatus(), 'warning')
      assert.deepEqual(await flipsOf(token), [
        ['new', 'up', 'success'],
        ['up', 'warning', 'too soon'],
      ])
    } finally {
      await edge.close()
    }
    // a success recorded through the API once the interval has passed (PingService's path)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    await PingService.record(token, { token: token.uuid }, API_SOURCE)
    await token.refresh()
    assert.equal(token.status, 'up')
    assert.deepEqual(lastOf(await flipsOf(token)), ['warning', 'up', 'success'])
  })

  test('min_duration: a run shorter than it warns, a long enough run clears it', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser(), { min_duration: 60 })
    const edge = await startEdge()
    try {
      // a measured run of a few milliseconds, then Uptime Kuma's reported durations
      await pingAll(edge.url, [
        `/ping/${token.uuid}/start?rid=${RID}`,
        `/ping/${token.uuid}?rid=${RID}`,
        `/api/push/${token.uuid}?status=up&ping=59000`,
      ])
      await token.refresh()
      assert.equal(token.status, 'warning')
      assert.deepEqual(await flipsOf(token), [['new', 'warning', 'too short']])
      await pingAll(edge.url, [`/api/push/${token.uuid}?status=up&ping=60000`])
    } finally {
      await edge.close()
    }
    await token.refresh()
    assert.equal(token.status, 'up')
    assert.deepEqual(lastOf(await flipsOf(token)), ['warning', 'up', 'success'])
  })

  test('fail_threshold: down at the third failure in a row, counted, reset by a success', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser(), { fail_threshold: 3 })
    const edge = await startEdge()
    const fail = `/ping/${token.uuid}/fail`
    try {
      await pingAll(edge.url, [`/ping/${token.uuid}`, fail, fail])
      await token.refresh()
      assert.equal(token.status, 'up')
      assert.equal(token.consecutiveFails, 2)
      assert.deepEqual(await flipsOf(token), [['new', 'up', 'success']])
      await pingAll(edge.url, [fail])
      await token.refresh()
      assert.equal(token.status, 'down')
      assert.equal(token.consecutiveFails, 3)
      assert.deepEqual(lastOf(await flipsOf(token)), ['up', 'down', 'fail'])
      await pingAll(edge.url, [`/ping/${token.uuid}`, fail])
    } finally {
      await edge.close()
    }
    await token.refresh()
    // the success reset the count: one failure is not enough again
    assert.equal(token.status, 'up')
    assert.equal(token.consecutiveFails, 1)
  })
})

test.group('Run rules: a warning is notified once, and its end too', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('too short sends one warning notice; a repeat sends none; a normal run sends up', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    const edge = await startEdge()
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'Reports', min_duration: 60 })
      const hook = await ChannelService.create(user, {
        kind: 'webhook',
        name: 'hook',
        config: { url: receiver.url },
      })
      await TokenService.update(token, { channels: [hook.id] })
      const dispatcher = new FlipDispatcher()
      const push = (ms: number) => `/api/push/${token.uuid}?status=up&ping=${ms}`

      await pingAll(edge.url, [push(90_000)])
      assert.equal(await dispatcher.runOnce(), 0)
      await pingAll(edge.url, [push(1000), push(2000)])
      assert.equal(await dispatcher.runOnce(), 1)
      assert.lengthOf(receiver.requests, 1)
      assert.containSubset(JSON.parse(receiver.requests[0].body), {
        name: 'Reports',
        status: 'warning',
        reason: 'too short',
      })
      await pingAll(edge.url, [push(90_000)])
      assert.equal(await dispatcher.runOnce(), 1)
      assert.containSubset(JSON.parse(receiver.requests[1].body), {
        status: 'up',
        reason: 'success',
      })
    } finally {
      await Promise.all([edge.close(), receiver.close()])
    }
  })
})

test.group('Run rules: API v1 and the admin UI', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('the API takes, shows and clears the run rules', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({
      name: 'Sync',
      max_runtime: 900,
      min_interval: 300,
      min_duration: 5,
      fail_threshold: 3,
    })
    created.assertStatus(201)
    assert.containSubset(created.body().data, {
      max_runtime: 900,
      min_interval: 300,
      min_duration: 5,
      fail_threshold: 3,
      consecutive_fails: 0,
    })
    const id = created.body().data.id
    const changed = await client
      .patch(`/api/v1/tokens/${id}`)
      .bearerToken(key)
      .json({ max_runtime: null, min_duration: 10 })
    changed.assertStatus(200)
    assert.containSubset(changed.body().data, {
      max_runtime: null,
      min_interval: 300,
      min_duration: 10,
      fail_threshold: 3,
    })
    const plain = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'Plain' })
    assert.containSubset(plain.body().data, {
      max_runtime: null,
      min_interval: null,
      min_duration: null,
      fail_threshold: 1,
      consecutive_fails: 0,
    })
  })

  test('bad run rules answer 422 with each field named', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const response = await client.post('/api/v1/tokens').bearerToken(key).json({
      name: 'x',
      max_runtime: 0,
      min_interval: 1.5,
      min_duration: 'long',
      fail_threshold: 0,
    })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.sameMembers(fields, ['max_runtime', 'min_interval', 'min_duration', 'fail_threshold'])
    const tooBig = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'y', fail_threshold: 101, max_runtime: 31_536_001 })
    tooBig.assertStatus(422)
    assert.sameMembers(
      tooBig.body().errors.map((error: { field: string }) => error.field),
      ['fail_threshold', 'max_runtime']
    )
  })

  test('the failure count and a warning show in the API, its filter and the page', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const counting = await makeToken(user, { name: 'Counting', fail_threshold: 3 })
    const warned = await makeToken(user, { name: 'Warned', min_duration: 60 })
    const edge = await startEdge()
    try {
      await pingAll(edge.url, [
        `/ping/${counting.uuid}`,
        `/ping/${counting.uuid}/fail`,
        `/ping/${counting.uuid}/fail`,
        `/api/push/${warned.uuid}?status=up&ping=10`,
      ])
    } finally {
      await edge.close()
    }
    const read = await client.get(`/api/v1/tokens/${counting.uuid}`).bearerToken(key)
    assert.containSubset(read.body().data, {
      status: 'up',
      fail_threshold: 3,
      consecutive_fails: 2,
    })
    const page = await client.get(`/tokens/${counting.uuid}`).loginAs(user)
    page.assertStatus(200)
    assert.include(page.text(), '2 of 3 failures')

    const filtered = await client.get('/api/v1/tokens?status=warning').bearerToken(key)
    assert.deepEqual(
      filtered
        .body()
        .data.map((token: { name: string; status: string }) => [token.name, token.status]),
      [['Warned', 'warning']]
    )
    const warnedPage = await client.get(`/tokens/${warned.uuid}`).loginAs(user)
    assert.include(warnedPage.text(), '<span class="status status-warning">warning</span>')
    assert.include(warnedPage.text(), 'runs last at least 1 min')
    const dashboard = await client.get('/dashboard?status=warning').loginAs(user)
    assert.include(dashboard.text(), 'Warned')
    assert.notInclude(dashboard.text(), 'Counting')
  })

  test('the Token form shows each rule with its explanation and saves it', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Nightly', max_runtime: 90, min_interval: 3600 })
    const form = await client.get(`/tokens/${token.uuid}/edit`).loginAs(user)
    form.assertStatus(200)
    const html = form.text()
    assert.match(html, /id="max_runtime" name="max_runtime"[^>]* value="90"/)
    assert.match(html, /<option value="seconds" selected>seconds<\/option>/)
    assert.match(html, /id="min_interval" name="min_interval"[^>]* value="1"/)
    assert.match(html, /id="min_duration" name="min_duration"[^>]* value=""/)
    assert.match(html, /id="fail_threshold" name="fail_threshold"[^>]* value="1"/)
    assert.include(html, 'has not ended within this time goes down')
    assert.include(html, 'failure pings in a row take the Token down')

    const saved = await client
      .put(`/tokens/${token.uuid}`)
      .loginAs(user)
      .withCsrfToken()
      .form({
        name: 'Nightly',
        kind: 'simple',
        timeout: '1',
        timeout_unit: 'days',
        grace: '1',
        grace_unit: 'hours',
        max_runtime: '',
        min_interval: '',
        min_duration: '2',
        min_duration_unit: 'minutes',
        fail_threshold: '4',
      })
      .redirects(0)
    saved.assertStatus(302)
    await token.refresh()
    assert.isNull(token.maxRuntime)
    assert.isNull(token.minInterval)
    assert.equal(token.minDuration, 120)
    assert.equal(token.failThreshold, 4)

    const refused = await client
      .put(`/tokens/${token.uuid}`)
      .loginAs(user)
      .withCsrfToken()
      .form({ name: 'Nightly', kind: 'simple', timeout: '1', grace: '1', fail_threshold: '0' })
      .redirects(0)
    refused.assertStatus(302)
    await token.refresh()
    assert.equal(token.failThreshold, 4)
  })
})
