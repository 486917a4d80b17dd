import app from '@adonisjs/core/services/app'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import Ping from '#models/ping'
import type Token from '#models/token'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

async function storePing(token: Token, kind: Ping['kind'], createdAt: string, body?: string) {
  return Ping.create({
    tokenId: token.id,
    kind,
    createdAt: DateTime.fromISO(createdAt),
    method: 'GET',
    remoteAddr: '10.0.0.1',
    userAgent: 'curl',
    body: body ? Buffer.from(body) : null,
  })
}

test.group('API v1 pings', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('lists Pings across the user’s Tokens with filters', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const a = await makeToken(user, { name: 'a' })
    const b = await makeToken(user, { name: 'b' })
    const foreign = await makeToken(await makeUser(), { name: 'foreign' })
    await storePing(a, 'success', '2026-01-01T00:00:00Z')
    await storePing(a, 'fail', '2026-01-02T00:00:00Z')
    await storePing(b, 'success', '2026-01-03T00:00:00Z')
    await storePing(foreign, 'success', '2026-01-03T00:00:00Z')

    const tokensOf = async (qs: Record<string, string>) => {
      const response = await client.get('/api/v1/pings').qs(qs).bearerToken(key)
      response.assertStatus(200)
      return response
        .body()
        .data.map(
          (ping: { token: string; kind: string }) =>
            `${ping.token === a.uuid ? 'a' : 'b'}:${ping.kind}`
        )
    }
    assert.deepEqual(await tokensOf({}), ['b:success', 'a:fail', 'a:success'])
    assert.deepEqual(await tokensOf({ token: a.uuid }), ['a:fail', 'a:success'])
    assert.deepEqual(await tokensOf({ kind: 'fail' }), ['a:fail'])
    assert.deepEqual(await tokensOf({ since: '2026-01-02T00:00:00Z' }), ['b:success', 'a:fail'])
    assert.deepEqual(await tokensOf({ until: '2026-01-02T00:00:00Z' }), ['a:success'])
  })

  test('reads one Ping with its body; another user gets 404', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    const ping = await storePing(token, 'log', '2026-01-01T00:00:00Z', 'backup: 42 files')
    const response = await client
      .get(`/api/v1/pings/${ping.id}`)
      .bearerToken(await makeApiKey(user))
    response.assertStatus(200)
    assert.containSubset(response.body().data, {
      id: ping.id,
      token: token.uuid,
      kind: 'log',
      body: 'backup: 42 files',
    })
    const stranger = await client
      .get(`/api/v1/pings/${ping.id}`)
      .bearerToken(await makeApiKey(await makeUser()))
    stranger.assertStatus(404)
    const junk = await client.get('/api/v1/pings/abc').bearerToken(await makeApiKey(user))
    junk.assertStatus(404)
  })

  test('records a failing Ping by hand: the Token goes down with a Flip', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const ok = await client.post('/api/v1/pings').bearerToken(key).json({ token: token.uuid })
    ok.assertStatus(201)
    assert.equal(ok.body().data.kind, 'success')
    const failed = await client
      .post('/api/v1/pings')
      .bearerToken(key)
      .json({ token: token.uuid, exit_status: 3, body: 'disk full' })
    failed.assertStatus(201)
    assert.containSubset(failed.body().data, {
      kind: 'fail',
      exit_status: 3,
      body: 'disk full',
      method: 'API',
    })
    const read = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    assert.containSubset(read.body().data, { status: 'down', n_pings: 2 })
    const flips = await client.get(`/api/v1/tokens/${token.uuid}/flips`).bearerToken(key)
    assert.deepEqual(
      flips.body().data.map((flip: { new_status: string }) => flip.new_status),
      ['down', 'up']
    )
  })

  test('deletes a Ping; read-only keys and strangers may not', async ({ client }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    const ping = await storePing(token, 'success', '2026-01-01T00:00:00Z')
    const readOnly = await client
      .delete(`/api/v1/pings/${ping.id}`)
      .bearerToken(await makeApiKey(user, 'read-only'))
    readOnly.assertStatus(403)
    const stranger = await client
      .delete(`/api/v1/pings/${ping.id}`)
      .bearerToken(await makeApiKey(await makeUser()))
    stranger.assertStatus(404)
    const owner = await client
      .delete(`/api/v1/pings/${ping.id}`)
      .bearerToken(await makeApiKey(user))
    owner.assertStatus(204)
    const gone = await client.get(`/api/v1/pings/${ping.id}`).bearerToken(await makeApiKey(user))
    gone.assertStatus(404)
  })

  test('validates a Ping recorded by hand', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const response = await client
      .post('/api/v1/pings')
      .bearerToken(key)
      .json({ token: 'nope', kind: 'explode', exit_status: 256, rid: 'x' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.sameMembers(fields, ['token', 'kind', 'exit_status', 'rid'])
    const foreign = await makeToken(await makeUser())
    const stranger = await client
      .post('/api/v1/pings')
      .bearerToken(key)
      .json({ token: foreign.uuid })
    stranger.assertStatus(404)
  })

  test('a Ping by hand: its exit status and kind agree, its body is cut as the edge cuts it', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const contradiction = await client
      .post('/api/v1/pings')
      .bearerToken(key)
      .json({ token: token.uuid, kind: 'success', exit_status: 5 })
    contradiction.assertStatus(422)
    assert.equal(contradiction.body().errors[0].field, 'exit_status')

    const failed = await client
      .post('/api/v1/pings')
      .bearerToken(key)
      .json({ token: token.uuid, exit_status: 5 })
    failed.assertStatus(201)
    assert.containSubset(failed.body().data, { kind: 'fail', exit_status: 5 })

    const limit = app.config.get<number>('ngip.pingBodyLimit')
    const long = await client
      .post('/api/v1/pings')
      .bearerToken(key)
      .json({ token: token.uuid, kind: 'log', body: 'x'.repeat(limit + 500) })
    long.assertStatus(201)
    const read = await client.get(`/api/v1/pings/${long.body().data.id}`).bearerToken(key)
    assert.lengthOf(read.body().data.body, limit)
  })

  test('pages through all Pings with no overlap or gap', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const made = []
    for (let i = 0; i < 8; i++) {
      const ping = await storePing(token, 'success', `2026-01-0${i + 1}T00:00:00Z`)
      made.push(ping.id)
    }
    const seen: number[] = []
    let cursor: string | null = null
    do {
      const response = await client
        .get('/api/v1/pings')
        .qs(cursor ? { limit: 3, cursor } : { limit: 3 })
        .bearerToken(key)
      seen.push(...response.body().data.map((ping: { id: number }) => ping.id))
      cursor = response.body().meta.next_cursor
    } while (cursor)
    assert.deepEqual(seen, made.reverse())
  })
})
