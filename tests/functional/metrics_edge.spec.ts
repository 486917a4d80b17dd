import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis, testRedisConfig } from '#tests/helpers/redis'
import { spawnEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'
import { FaultProxy } from '#tests/helpers/fault_proxy'
import { scrape } from '#tests/helpers/prometheus'
import { freePort } from '#tests/helpers/edge'

const TOKEN = 'edge-metrics-token-0123456789'
const UNKNOWN = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'

test.group('Metrics of the ping edge (its own listener, a real process)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('counts every answer it gives, by answer, and nothing for /health', async ({ assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Backup', slug: 'backup' })
    const proxy = await FaultProxy.start(testRedisConfig().port)
    const metricsPort = await freePort()
    const edge = await spawnEdge({
      PING_METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: TOKEN,
      PING_RATE_LIMIT: '2',
      REDIS_PORT: String(proxy.port),
    })
    try {
      const expected: Record<string, [string, number][]> = {
        ok: [
          [`/ping/${token.uuid}`, 200],
          [`/ping/${user.pingKey}/backup`, 200],
        ],
        ok_rate_limited: [[`/ping/${token.uuid}`, 200]],
        rate_limited: [
          [`/ping/${user.pingKey}/backup`, 429],
          [`/ping/${user.pingKey}/backup/fail`, 429],
        ],
        created: [[`/ping/${user.pingKey}/new-job?create=1`, 201]],
        not_found: [
          [`/ping/${UNKNOWN}`, 404],
          [`/api/push/${UNKNOWN}?status=up`, 404],
          ['/robots.txt', 404],
        ],
        bad_request: [[`/ping/${token.uuid}/256`, 400]],
      }
      for (const [answer, requests] of Object.entries(expected)) {
        for (const [path, status] of requests) {
          assert.equal(await statusOf(edge.url, path), status, `${answer}: ${path}`)
        }
      }
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`, { method: 'PUT' }), 405)
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`, { method: 'OPTIONS' }), 204)
      assert.equal(await statusOf(edge.url, '/health'), 200)
      await proxy.cut()
      assert.equal(await statusOf(edge.url, `/ping/${UNKNOWN}/fail`), 503)

      const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`, TOKEN)
      const counted = (answer: string) => metrics.value('ngip_edge_pings_total', { answer })
      for (const [answer, requests] of Object.entries(expected)) {
        assert.equal(counted(answer), requests.length, answer)
      }
      assert.equal(counted('method_not_allowed'), 1)
      assert.equal(counted('preflight'), 1)
      assert.equal(counted('unavailable'), 1)
      assert.equal(counted('error'), 0)
      const total = metrics.samples
        .filter((sample) => sample.name === 'ngip_edge_pings_total')
        .reduce((sum, sample) => sum + sample.value, 0)
      // Every request above but /health.
      assert.equal(total, 13)
      assert.isAbove(metrics.value('process_resident_memory_bytes')!, 0)
    } finally {
      await edge.close()
      await proxy.close()
    }
  })

  test('its metrics listener answers the METRICS_TOKEN bearer only, on its own port', async ({
    assert,
  }) => {
    const metricsPort = await freePort()
    const edge = await spawnEdge({ PING_METRICS_PORT: String(metricsPort), METRICS_TOKEN: TOKEN })
    try {
      const url = `http://127.0.0.1:${metricsPort}/metrics`
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
        const refused = await fetch(url, { headers: authorization ? { authorization } : {} })
        assert.equal(refused.status, 401)
        assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="metrics"')
        assert.notMatch(await refused.text(), /ngip_/)
      }
      // Not on the pings' port.
      const onPings = await fetch(`${edge.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      assert.equal(onPings.status, 404)
    } finally {
      await edge.close()
    }
  })

  test('refuses to start with a metrics port and no METRICS_TOKEN', async ({ assert }) => {
    await assert.rejects(
      () => spawnEdge({ PING_METRICS_PORT: '9', METRICS_TOKEN: '' }),
      /set METRICS_TOKEN too/
    )
  })
})
