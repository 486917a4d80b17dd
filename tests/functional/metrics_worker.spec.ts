import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type Token from '#models/token'
import ChannelService from '#services/alerts/channel_service'
import TokenService from '#services/tokens/token_service'
import { RedisPingStore } from '#ping/redis_store'
import User from '#models/user'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis, testRedisConfig } from '#tests/helpers/redis'
import { startHttpReceiver } from '#tests/helpers/receivers'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'
import { scrape } from '#tests/helpers/prometheus'
import { freePort } from '#tests/helpers/edge'

const TOKEN = 'worker-metrics-token-0123456789'

async function accept(store: RedisPingStore, token: Token, action: 'success' | 'fail') {
  return store.accept(
    { kind: 'uuid', uuid: token.uuid },
    {
      action,
      at: Date.now(),
      method: 'GET',
      remoteAddr: '127.0.0.1',
      userAgent: 'metrics-test',
      exitStatus: null,
      rid: null,
      body: null,
    },
    { rateLimit: 0 }
  )
}

/**
 * A real `worker:run` (no global transaction: the child commits for real).
 */
test.group('Metrics of the worker (its own listener, a real process)', (group) => {
  group.each.setup(() => flushRedis())
  group.each.setup(() => {
    // The receiver is on loopback, for this process and the worker alike.
    const previous = app.config.get('ngip.integrationsAllowPrivateIps')
    app.config.set('ngip.integrationsAllowPrivateIps', true)
    return () => app.config.set('ngip.integrationsAllowPrivateIps', previous)
  })

  test('counts pings stored, Flips by new status and notifications sent and failed', async ({
    assert,
    cleanup,
  }) => {
    // The receiver fails the first delivery, takes the retry.
    const receiver = await startHttpReceiver([500, 200])
    // Committed for real (the worker process reads it); removed with its User afterwards.
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
    })
    const token = await makeToken(user, { name: 'Worker metrics' })
    const hook = await ChannelService.create(user, {
      kind: 'webhook',
      name: 'hook',
      config: { url: `${receiver.url}/hook` },
    })
    await TokenService.update(token, { channels: [hook.id] })
    // Flips committed by earlier tests are not this worker's to count.
    await db.rawQuery('UPDATE flips SET processed_at = now() WHERE processed_at IS NULL')
    const metricsPort = await freePort()
    const url = `http://127.0.0.1:${metricsPort}/metrics`
    const worker = spawnWorker({
      WORKER_METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: TOKEN,
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true',
      // As deployed: notification jobs through the Redis queue, retried by the worker.
      QUEUE_DRIVER: 'redis',
    })
    const store = new RedisPingStore(testRedisConfig(), 10_000)
    try {
      await store.ready()
      await worker.ready
      for (let i = 0; i < 3; i++) {
        assert.equal(await accept(store, token, 'success'), 'accepted')
      }
      await waitFor(
        'three pings stored',
        () => scrape(url, TOKEN).then((m) => m.value('ngip_pings_stored_total')),
        (stored) => stored === 3
      )
      assert.equal(await accept(store, token, 'fail'), 'accepted')
      const metrics = await waitFor(
        'the down notice sent',
        () => scrape(url, TOKEN),
        (m) => m.value('ngip_notifications_total', { kind: 'webhook', result: 'sent' }) === 1
      )
      assert.equal(metrics.value('ngip_pings_stored_total'), 4)
      assert.equal(metrics.value('ngip_pings_dead_lettered_total'), 0)
      assert.equal(metrics.value('ngip_flips_total', { to: 'up' }), 1)
      assert.equal(metrics.value('ngip_flips_total', { to: 'down' }), 1)
      assert.equal(metrics.value('ngip_flips_total', { to: 'paused' }), 0)
      assert.equal(
        metrics.value('ngip_notifications_total', { kind: 'webhook', result: 'failed' }),
        1
      )
      assert.lengthOf(receiver.requests, 2)
      // The worker serves no web requests.
      assert.isUndefined(metrics.samples.find((s) => s.name === 'ngip_http_requests_total'))
    } finally {
      await worker.kill()
      await store.close()
      await receiver.close()
    }
  }).timeout(60_000)

  test('its metrics listener answers the METRICS_TOKEN bearer only', async ({ assert }) => {
    const metricsPort = await freePort()
    const worker = spawnWorker({ WORKER_METRICS_PORT: String(metricsPort), METRICS_TOKEN: TOKEN })
    try {
      await worker.ready
      const url = `http://127.0.0.1:${metricsPort}/metrics`
      const refused = await fetch(url, { headers: { authorization: 'Bearer wrong' } })
      assert.equal(refused.status, 401)
      assert.notMatch(await refused.text(), /ngip_/)
      const anonymous = await fetch(url)
      assert.equal(anonymous.status, 401)
      const metrics = await scrape(url, TOKEN)
      assert.equal(metrics.value('ngip_pings_stored_total'), 0)
    } finally {
      await worker.kill()
    }
  }).timeout(60_000)

  test('refuses to start with a metrics port and no METRICS_TOKEN', async ({ assert }) => {
    const worker = spawnWorker({ WORKER_METRICS_PORT: '9', METRICS_TOKEN: '' })
    try {
      await assert.rejects(() => worker.ready, /set METRICS_TOKEN too/)
      assert.notEqual(await worker.exited, 0)
    } finally {
      await worker.kill()
    }
  }).timeout(60_000)
})
