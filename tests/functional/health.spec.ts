import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import { flushRedis } from '#tests/helpers/redis'

const TOKEN = 'metrics-test-token-0123456789'

/** METRICS_TOKEN as the app reads it (config/ngip.ts), for one test. */
async function withMetricsToken(token: string, run: () => Promise<void>) {
  const saved = config.get('ngip.metrics.token')
  config.set('ngip.metrics.token', token)
  try {
    await run()
  } finally {
    config.set('ngip.metrics.token', saved)
  }
}

test.group('Health and metrics', () => {
  test('the web answers liveness and readiness', async ({ client }) => {
    await flushRedis()
    const live = await client.get('/health/live')
    live.assertStatus(200)
    const ready = await client.get('/health/ready')
    ready.assertStatus(200)
    ready.assertBody({
      status: 'ok',
      checks: { database: true, redis: true, ingest: { lag: 0, oldest_s: null } },
    })
  })

  test('metrics are in the Prometheus text format, for the METRICS_TOKEN bearer', async ({
    client,
    assert,
  }) => {
    await withMetricsToken(TOKEN, async () => {
      const response = await client.get('/metrics').bearerToken(TOKEN)
      response.assertStatus(200)
      assert.match(response.text(), /^ngip_ping_queue_length \d+$/m)
    })
  })

  test('metrics answer no one else: 401 without the right token, 404 while none is set', async ({
    client,
    assert,
  }) => {
    await withMetricsToken(TOKEN, async () => {
      for (const request of [
        client.get('/metrics'),
        client.get('/metrics').bearerToken('wrong-token'),
        client.get('/metrics').header('authorization', `Basic ${TOKEN}`),
      ]) {
        const refused = await request
        refused.assertStatus(401)
        refused.assertHeader('www-authenticate', 'Bearer realm="metrics"')
        assert.notMatch(refused.text(), /ngip_/)
      }
    })
    await withMetricsToken('', async () => {
      const off = await client.get('/metrics').bearerToken(TOKEN)
      off.assertStatus(404)
      assert.notMatch(off.text(), /ngip_/)
    })
  })
})
