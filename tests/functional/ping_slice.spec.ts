import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import { makeApiKey, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'

test.group('Ping slice: edge → stream → worker → PostgreSQL → API', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a ping to a Token created through the API shows up in its pings', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const edge = await startEdge()
    const ingest = await makeIngest()
    try {
      const created = await client
        .post('/api/v1/tokens')
        .bearerToken(key)
        .json({ name: 'Nightly backup' })
      created.assertStatus(201)
      const token = created.body().data
      assert.equal(token.ping_url.split('/ping/')[1], token.id)

      const ping = await fetch(`${edge.url}/ping/${token.id}`, {
        headers: { 'user-agent': 'cron-test' },
      })
      assert.equal(ping.status, 200)
      assert.equal(await ping.text(), 'OK')

      assert.equal(await drain(ingest), 1)

      const pings = await client.get(`/api/v1/tokens/${token.id}/pings`).bearerToken(key)
      pings.assertStatus(200)
      assert.lengthOf(pings.body().data, 1)
      assert.containSubset(pings.body().data[0], {
        token: token.id,
        kind: 'success',
        method: 'GET',
        user_agent: 'cron-test',
      })

      const read = await client.get(`/api/v1/tokens/${token.id}`).bearerToken(key)
      assert.containSubset(read.body().data, { status: 'up', n_pings: 1 })
      assert.isNotNull(read.body().data.last_ping_at)
    } finally {
      await edge.close()
    }
  })

  test('the edge answers 404 for an unknown Token and enqueues nothing', async ({ assert }) => {
    const edge = await startEdge()
    try {
      const response = await fetch(`${edge.url}/ping/2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11`)
      assert.equal(response.status, 404)
      assert.equal(await response.text(), 'not found')
      assert.equal(await redis.exists('ngip:pings'), 0)
    } finally {
      await edge.close()
    }
  })

  test('a re-delivered stream entry never makes a second Ping', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const edge = await startEdge()
    const ingest = await makeIngest()
    try {
      const created = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'Job' })
      const token = created.body().data
      await fetch(`${edge.url}/ping/${token.id}`)
      const entries = await ingest.readNew()
      assert.lengthOf(entries, 1)
      // The first delivery commits, then the "crash" happens before the ack.
      await ingest.storeWithRetry(entries)
      await ingest.storeWithRetry(entries)

      const read = await client.get(`/api/v1/tokens/${token.id}`).bearerToken(key)
      assert.equal(read.body().data.n_pings, 1)
      const pings = await client.get(`/api/v1/tokens/${token.id}/pings`).bearerToken(key)
      assert.lengthOf(pings.body().data, 1)
    } finally {
      await edge.close()
    }
  })
})
