import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import Ping from '#models/ping'
import { pingJson } from '#transformers/ping_transformer'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'

test.group('API v1 token pings: the page PostgreSQL writes', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('matches the API’s Ping shape field for field', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    const stored = [
      await Ping.create({
        tokenId: token.id,
        kind: 'success',
        createdAt: DateTime.fromISO('2026-03-29T01:59:59.123456Z'),
        method: 'POST',
        remoteAddr: '2001:db8::1',
        userAgent: 'runitor/1.2 "quoted"',
        exitStatus: 0,
        rid: '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60',
        durationMs: 4210,
        body: Buffer.from('déjà vu ✓\nline "two"\t\\'),
      }),
      await Ping.create({
        tokenId: token.id,
        kind: 'fail',
        createdAt: DateTime.fromISO('2026-03-29T02:00:00Z'),
        method: 'GET',
        remoteAddr: '10.0.0.1',
        userAgent: '',
      }),
    ]
    const response = await client
      .get(`/api/v1/tokens/${token.uuid}/pings`)
      .bearerToken(await makeApiKey(user))
    response.assertStatus(200)
    const expected = [...stored].reverse().map((ping) =>
      pingJson(
        {
          id: ping.id,
          kind: ping.kind,
          createdAt: ping.createdAt.toJSDate(),
          method: ping.method,
          remoteAddr: ping.remoteAddr,
          userAgent: ping.userAgent,
          exitStatus: ping.exitStatus ?? null,
          rid: ping.rid ?? null,
          durationMs: ping.durationMs ?? null,
          body: ping.body ?? null,
        },
        token.uuid
      )
    )
    assert.deepEqual(response.body().data, expected)
    assert.deepEqual(response.body().meta, { limit: 50, next_cursor: null })
    // byte for byte what JSON.stringify writes, as on every other route
    assert.equal(response.text(), JSON.stringify(response.body()))
  })

  test('a body that is not UTF-8 is shown with replacement characters', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    await Ping.create({
      tokenId: token.id,
      kind: 'log',
      createdAt: DateTime.now(),
      method: 'POST',
      remoteAddr: '',
      userAgent: '',
      body: Buffer.from([0x6f, 0x6b, 0xe2, 0x82]),
    })
    const response = await client
      .get(`/api/v1/tokens/${token.uuid}/pings`)
      .bearerToken(await makeApiKey(user))
    response.assertStatus(200)
    assert.equal(response.body().data[0].body, 'ok\ufffd')
  })
})

test.group('API v1 token pings: the prepared statement, outside any transaction', () => {
  test('pages the same on pooled connections, call after call', async ({
    client,
    assert,
    cleanup,
  }) => {
    const user = await makeUser()
    cleanup(() => user.delete())
    const token = await makeToken(user)
    const other = await makeToken(user, { name: 'Other' })
    const start = DateTime.fromISO('2026-05-01T00:00:00Z')
    for (let i = 0; i < 5; i++) {
      await Ping.create({
        tokenId: token.id,
        kind: i % 2 ? 'fail' : 'success',
        createdAt: start.plus({ minutes: i }),
        method: 'GET',
        remoteAddr: '',
        userAgent: '',
      })
    }
    const key = await makeApiKey(user)
    const get = async (path: string) => {
      const response = await client.get(path).bearerToken(key)
      response.assertStatus(200)
      return response.body()
    }
    const minutes = (body: any) =>
      body.data.map((ping: { created_at: string }) => DateTime.fromISO(ping.created_at).minute)

    // Each statement is prepared on first use and reused after, on any of the pool's connections
    for (let round = 0; round < 3; round++) {
      const first = await get(`/api/v1/tokens/${token.uuid}/pings?limit=2`)
      assert.deepEqual(minutes(first), [4, 3])
      const second = await get(
        `/api/v1/tokens/${token.uuid}/pings?limit=2&cursor=${first.meta.next_cursor}`
      )
      assert.deepEqual(minutes(second), [2, 1])
      const fails = await get(`/api/v1/tokens/${token.uuid}/pings?kind=fail`)
      assert.deepEqual(minutes(fails), [3, 1])
      const none = await get(`/api/v1/tokens/${other.uuid}/pings`)
      assert.deepEqual(none.data, [])
    }
    const stranger = await makeApiKey(await makeUser())
    const hidden = await client.get(`/api/v1/tokens/${token.uuid}/pings`).bearerToken(stranger)
    hidden.assertStatus(404)
  })
})
