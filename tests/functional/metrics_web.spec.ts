import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import config from '@adonisjs/core/services/config'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { send } from '#tests/helpers/ping'
import { parsePrometheus } from '#tests/helpers/prometheus'

const TOKEN = 'web-metrics-token-0123456789'
const UUID = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'

async function scrapeWeb(client: ApiClient) {
  const response = await client.get('/metrics').bearerToken(TOKEN)
  response.assertStatus(200)
  return parsePrometheus(response.text())
}

/** The value of a sample, 0 while it is not exported yet */
function read(metrics: ReturnType<typeof parsePrometheus>, name: string, labels = {}) {
  return metrics.value(name, labels) ?? 0
}

test.group("Metrics of the web (/metrics, this process's counters)", (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(() => {
    const saved = config.get('ngip.metrics.token')
    config.set('ngip.metrics.token', TOKEN)
    return () => config.set('ngip.metrics.token', saved)
  })

  test('counts requests by route pattern, method and status, with a consistent latency histogram', async ({
    client,
    assert,
  }) => {
    const before = await scrapeWeb(client)
    for (let i = 0; i < 3; i++) {
      const live = await client.get('/health/live')
      live.assertStatus(200)
    }
    const refused = await client.get(`/api/v1/tokens/${UUID}`)
    refused.assertStatus(401)
    const unmatched = await client.get('/no-such-page-here')
    unmatched.assertStatus(404)
    const after = await scrapeWeb(client)

    const delta = (route: string, method: string, status: string) =>
      read(after, 'ngip_http_requests_total', { route, method, status }) -
      read(before, 'ngip_http_requests_total', { route, method, status })
    assert.equal(delta('/health/live', 'GET', '200'), 3)
    // The pattern, never the raw URL (one series per Token would be no metric).
    assert.equal(delta('/api/v1/tokens/:id', 'GET', '401'), 1)
    assert.equal(delta('unmatched', 'GET', '404'), 1)
    assert.isFalse(after.samples.some((sample) => JSON.stringify(sample.labels).includes(UUID)))
    // The first scrape was answered before the second one read the counters.
    assert.equal(delta('/metrics', 'GET', '200'), 1)

    const live = { route: '/health/live', method: 'GET' }
    const count = (m: typeof after) => read(m, 'ngip_http_request_duration_seconds_count', live)
    assert.equal(count(after) - count(before), 3)
    assert.equal(
      read(after, 'ngip_http_request_duration_seconds_bucket', { ...live, le: '+Inf' }),
      count(after)
    )
    assert.isAbove(read(after, 'ngip_http_request_duration_seconds_sum', live), 0)
    assert.equal(after.families.get('ngip_http_request_duration_seconds')?.type, 'histogram')
  })

  test('tells the ingest lag: the age of the oldest ping not yet stored, 0 when none', async ({
    client,
    assert,
  }) => {
    assert.equal(read(await scrapeWeb(client), 'ngip_ingest_lag_seconds'), 0)
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      await send(edge.url, `/ping/${token.uuid}`)
    } finally {
      await edge.close()
    }
    // The same ping, as if the edge had queued it 30 s ago.
    const [[, fields]] = await redis.xrange(redisKeys.pings, '-', '+')
    await redis.del(redisKeys.pings)
    await redis.xadd(redisKeys.pings, `${Date.now() - 30_000}-0`, ...fields)

    const waiting = await scrapeWeb(client)
    assert.approximately(read(waiting, 'ngip_ingest_lag_seconds'), 30, 5)
    assert.equal(read(waiting, 'ngip_ping_queue_length'), 1)

    const ingest = await makeIngest()
    // Read and not acknowledged yet (pending): still waiting.
    const entries = await ingest.readNew()
    assert.lengthOf(entries, 1)
    assert.approximately(read(await scrapeWeb(client), 'ngip_ingest_lag_seconds'), 30, 5)
    await ingest.finish(entries, await ingest.storeWithRetry(entries))

    const stored = await scrapeWeb(client)
    assert.equal(read(stored, 'ngip_ingest_lag_seconds'), 0)
    assert.equal(read(stored, 'ngip_ping_queue_length'), 0)
    assert.equal(
      read(stored, 'ngip_pings_stored_total') - read(waiting, 'ngip_pings_stored_total'),
      1
    )
  })

  test('counts a ping PostgreSQL refuses as dead-lettered, the others as stored', async ({
    client,
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    // Stands for any row PostgreSQL refuses on its data, which no retry cures.
    await db.rawQuery(`
      CREATE FUNCTION pg_temp.refuse_poison() RETURNS trigger AS $$
      BEGIN
        IF NEW.user_agent = 'poison' THEN
          RAISE EXCEPTION 'refused' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON pings
        FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_poison();`)
    const before = await scrapeWeb(client)
    const edge = await startEdge()
    try {
      for (const agent of ['curl', 'poison', 'wget']) {
        await send(edge.url, `/ping/${token.uuid}`, { headers: { 'user-agent': agent } })
      }
      await drain(await makeIngest())
    } finally {
      await edge.close()
    }
    const after = await scrapeWeb(client)
    const delta = (name: string) => read(after, name) - read(before, name)
    assert.equal(delta('ngip_pings_dead_lettered_total'), 1)
    assert.equal(delta('ngip_pings_stored_total'), 2)
  }).timeout(20_000)
})
