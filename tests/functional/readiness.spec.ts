import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import type Token from '#models/token'
import type User from '#models/user'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { startEdge } from '#tests/helpers/edge'
import { send, statusOf } from '#tests/helpers/ping'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'

/**
 * Readiness against a real worker child (no global transaction: the worker
 * commits for real).
 */
test.group('Readiness tells whether pings get stored', (group) => {
  let user: User
  let token: Token
  group.each.setup(async () => {
    await flushRedis()
    user = await makeUser()
    token = await makeToken(user, { name: 'Readiness test' })
    const saved = config.get('ngip.ingest.lagDegradedS')
    config.set('ngip.ingest.lagDegradedS', 1)
    return async () => {
      config.set('ngip.ingest.lagDegradedS', saved)
      await user.delete()
    }
  })

  test('with the worker stopped and pings waiting past the threshold: 503 degraded, the edge still accepts', async ({
    client,
    assert,
  }) => {
    const edge = await startEdge()
    let worker = spawnWorker()
    try {
      await worker.ready
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`), 200)
      const ok = await waitFor(
        'ready with nothing waiting',
        () => client.get('/health/ready'),
        (response) => response.status() === 200 && response.body().checks.ingest.lag === 0
      )
      assert.deepEqual(ok.body().checks.ingest, { lag: 0, oldest_s: null })

      worker.child.kill('SIGTERM')
      assert.equal(await worker.exited, 0)
      for (let i = 0; i < 3; i++) {
        const accepted = await send(edge.url, `/ping/${token.uuid}`)
        assert.deepEqual([accepted.status, accepted.text], [200, 'OK'])
      }
      await new Promise((resolve) => setTimeout(resolve, 1500))
      const degraded = await client.get('/health/ready')
      degraded.assertStatus(503)
      assert.equal(degraded.body().status, 'degraded')
      assert.include(degraded.body().checks, { database: true, redis: true })
      assert.equal(degraded.body().checks.ingest.lag, 3)
      assert.isAbove(degraded.body().checks.ingest.oldest_s, 1)
      assert.equal(await statusOf(edge.url, '/health'), 200, 'the edge can still take pings')

      worker = spawnWorker()
      await worker.ready
      // Ready again once the backlog is stored (not merely younger than the threshold).
      const back = await waitFor(
        'ready again with nothing waiting',
        () => client.get('/health/ready'),
        (response) => response.status() === 200 && response.body().checks.ingest.lag === 0
      )
      assert.deepEqual(back.body(), {
        status: 'ok',
        checks: { database: true, redis: true, ingest: { lag: 0, oldest_s: null } },
      })
    } finally {
      await worker.kill()
      await edge.close()
    }
  }).timeout(90_000)

  test('pings waiting less than the threshold keep it ready', async ({ client, assert }) => {
    config.set('ngip.ingest.lagDegradedS', 60)
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`), 200)
      const response = await client.get('/health/ready')
      response.assertStatus(200)
      assert.equal(response.body().status, 'ok')
      assert.equal(response.body().checks.ingest.lag, 1)
      assert.isBelow(response.body().checks.ingest.oldest_s, 60)
    } finally {
      await edge.close()
    }
  })
})
