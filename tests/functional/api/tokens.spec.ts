import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('API v1 tokens', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('creates a Token with defaults and lists it', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client
      .post('/api/v1/tokens')
      .header('x-api-key', key)
      .json({ name: 'DB dump', tags: ['prod', 'db'], timeout: 3600, grace: 600 })
    created.assertStatus(201)
    assert.containSubset(created.body().data, {
      name: 'DB dump',
      tags: ['prod', 'db'],
      kind: 'simple',
      timeout: 3600,
      grace: 600,
      status: 'new',
      n_pings: 0,
      last_ping_at: null,
    })
    const list = await client.get('/api/v1/tokens').header('x-api-key', key)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((token: { id: string }) => token.id),
      [created.body().data.id]
    )
    assert.property(list.body().meta, 'next_cursor')
    // the created Token reads the same as the listed one, every field present
    assert.deepEqual(created.body().data, list.body().data[0])
  })

  test('another user gets 404 for a Token that is not theirs', async ({ client }) => {
    const owner = await makeUser()
    const token = await makeToken(owner)
    const strangerKey = await makeApiKey(await makeUser())
    const response = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(strangerKey)
    response.assertStatus(404)
    response.assertBody({ errors: [{ code: 'E_NOT_FOUND', message: 'Token not found' }] })
    const pings = await client.get(`/api/v1/tokens/${token.uuid}/pings`).bearerToken(strangerKey)
    pings.assertStatus(404)
  })

  test('an admin’s API key reaches its own Project only, like any key', async ({ client }) => {
    const token = await makeToken(await makeUser())
    const adminKey = await makeApiKey(await makeUser({ isAdmin: true }))
    const response = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(adminKey)
    response.assertStatus(404)
  })

  test('a user lists only their own Tokens', async ({ client, assert }) => {
    const me = await makeUser()
    const mine = await makeToken(me, { name: 'mine' })
    await makeToken(await makeUser(), { name: 'theirs' })
    const response = await client.get('/api/v1/tokens').bearerToken(await makeApiKey(me))
    assert.deepEqual(
      response.body().data.map((token: { id: string }) => token.id),
      [mine.uuid]
    )
  })

  test('answers 401 without a key and with a wrong one, saying which', async ({
    client,
    assert,
  }) => {
    const anonymous = await client.get('/api/v1/tokens')
    anonymous.assertStatus(401)
    anonymous.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED' }] })
    anonymous.assertHeader('www-authenticate', 'Bearer realm="ngip"')
    assert.match(anonymous.body().errors[0].message, /API key is required/)
    const wrong = await client.get('/api/v1/tokens').bearerToken('ngip_MQ.not-a-real-secret')
    wrong.assertStatus(401)
    wrong.assertHeader('www-authenticate', 'Bearer realm="ngip", error="invalid_token"')
    assert.match(wrong.body().errors[0].message, /not valid/)
    const bare = await client.get('/api/v1/tokens').header('authorization', 'ngip_MQ.secret')
    bare.assertStatus(401)
    assert.match(bare.body().errors[0].message, /not sent the way the API takes it/)
  })

  test('a read-only key reads but may not write', async ({ client }) => {
    const user = await makeUser()
    const key = await makeApiKey(user, 'read-only')
    const read = await client.get('/api/v1/tokens').bearerToken(key)
    read.assertStatus(200)
    const write = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'x' })
    write.assertStatus(403)
    write.assertBodyContains({ errors: [{ code: 'E_FORBIDDEN' }] })
  })

  test('malformed JSON answers 400', async ({ assert }) => {
    const key = await makeApiKey(await makeUser())
    const response = await fetch(`http://${process.env.HOST}:${process.env.PORT}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"name": ',
    })
    assert.equal(response.status, 400)
    assert.deepEqual(await response.json(), {
      errors: [{ code: 'E_BAD_REQUEST', message: 'Malformed JSON body' }],
    })
  })

  test('invalid fields answer 422 with each field named', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const response = await client.post('/api/v1/tokens').bearerToken(key).json({
      name: '',
      slug: 'Not Valid',
      timeout: 5,
      kind: 'hourly',
      tz: 'Mars/Olympus',
      schedule: 'every day',
    })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['name', 'slug', 'timeout', 'kind', 'tz', 'schedule'])
    for (const error of response.body().errors) {
      assert.equal(error.code, 'E_VALIDATION_ERROR')
      assert.isString(error.message)
    }
  })

  test('entries of array fields are named in their messages', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const response = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'x', channels: ['nope'], tags: ['a b'], unique: ['id'] })
    response.assertStatus(422)
    const messages = Object.fromEntries(
      response
        .body()
        .errors.map((error: { field: string; message: string }) => [error.field, error.message])
    )
    assert.deepEqual(messages, {
      'channels.0': 'Each entry of channels must be a Channel id (a UUID)',
      'tags.0': 'A tag must not contain spaces',
      'unique.0': 'unique may list "name" and "slug" only',
    })
  })

  test('a method a route does not take answers 405 with Allow', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const put = await client.put(`/api/v1/tokens/${token.uuid}`).bearerToken(key).json({})
    put.assertStatus(405)
    assert.equal(put.header('allow'), 'GET, PATCH, DELETE')
    put.assertBodyContains({ errors: [{ code: 'E_METHOD_NOT_ALLOWED' }] })
    const missing = await client.get('/api/v1/nothing-here').bearerToken(key)
    missing.assertStatus(404)
    assert.match(missing.body().errors[0].message, /openapi\.json/)
  })

  test('an unknown Token id answers 404, a malformed one too', async ({ client }) => {
    const key = await makeApiKey(await makeUser())
    const unknown = await client
      .get('/api/v1/tokens/6f1d9a52-54a4-4a55-8d5e-2c3a5d0a9b1e')
      .bearerToken(key)
    unknown.assertStatus(404)
    const malformed = await client.get('/api/v1/tokens/not-a-uuid').bearerToken(key)
    malformed.assertStatus(404)
  })

  test('pages through pings newest first without overlap', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const { default: Ping } = await import('#models/ping')
    const { DateTime } = await import('luxon')
    for (let i = 0; i < 5; i++) {
      await Ping.create({
        tokenId: token.id,
        kind: 'success',
        createdAt: DateTime.now(),
        method: 'GET',
        remoteAddr: '',
        userAgent: '',
      })
    }
    const first = await client
      .get(`/api/v1/tokens/${token.uuid}/pings`)
      .qs({ limit: 3 })
      .bearerToken(key)
    const cursor = first.body().meta.next_cursor
    assert.isString(cursor)
    const second = await client
      .get(`/api/v1/tokens/${token.uuid}/pings`)
      .qs({ limit: 3, cursor })
      .bearerToken(key)
    const ids = [...first.body().data, ...second.body().data].map((ping: { id: number }) => ping.id)
    assert.lengthOf(ids, 5)
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a)
    )
    assert.isNull(second.body().meta.next_cursor)
  })

  test('lists Tokens page by page with no overlap or gap', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const made = []
    for (let i = 0; i < 7; i++) {
      const token = await makeToken(user, { name: `job ${i}` })
      made.push(token.uuid)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await client
        .get('/api/v1/tokens')
        .qs(cursor ? { limit: 3, cursor } : { limit: 3 })
        .bearerToken(key)
      response.assertStatus(200)
      assert.isAtMost(response.body().data.length, 3)
      seen.push(...response.body().data.map((token: { id: string }) => token.id))
      cursor = response.body().meta.next_cursor
    } while (cursor)
    assert.deepEqual(seen, made.reverse())
  })

  test('filters by status, tag and name', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const db = await makeToken(user, { name: 'Postgres dump', tags: ['db', 'prod'] })
    const web = await makeToken(user, { name: 'Web deploy', tags: ['web'] })
    await client.post(`/api/v1/tokens/${web.uuid}/pause`).bearerToken(key)
    const ids = async (qs: Record<string, string>) => {
      const response = await client.get('/api/v1/tokens').qs(qs).bearerToken(key)
      response.assertStatus(200)
      return response.body().data.map((token: { id: string }) => token.id)
    }
    assert.deepEqual(await ids({ tag: 'db' }), [db.uuid])
    assert.deepEqual(await ids({ status: 'paused' }), [web.uuid])
    assert.deepEqual(await ids({ status: 'new' }), [db.uuid])
    assert.deepEqual(await ids({ q: 'postgres' }), [db.uuid])
    assert.deepEqual(await ids({ q: '%' }), [])
    // a repeated tag: Tokens with every one of them
    const both = await client.get('/api/v1/tokens?tag=prod&tag=db').bearerToken(key)
    assert.deepEqual(
      both.body().data.map((token: { id: string }) => token.id),
      [db.uuid]
    )
    const none = await client.get('/api/v1/tokens?tag=prod&tag=web').bearerToken(key)
    assert.deepEqual(none.body().data, [])
  })

  test('a bad cursor or filter answers 422, never 5xx', async ({ client }) => {
    const key = await makeApiKey(await makeUser())
    const badCursor = await client.get('/api/v1/tokens').qs({ cursor: 'bm9wZQ' }).bearerToken(key)
    badCursor.assertStatus(422)
    badCursor.assertBodyContains({ errors: [{ field: 'cursor' }] })
    const badStatus = await client.get('/api/v1/tokens').qs({ status: 'sideways' }).bearerToken(key)
    badStatus.assertStatus(422)
    const badLimit = await client.get('/api/v1/tokens').qs({ limit: 1000 }).bearerToken(key)
    badLimit.assertStatus(422)
  })

  test('API calls start no session (no cookie, nothing stored in Redis)', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const response = await client.get('/api/v1/tokens').bearerToken(key)
    response.assertStatus(200)
    assert.notProperty(response.headers(), 'set-cookie')
  })

  test('a revoked key stops working at once in this process', async ({ client }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const first = await client.get('/api/v1/tokens').bearerToken(key)
    first.assertStatus(200)
    const { default: User } = await import('#models/user')
    const { forgetApiKeys } = await import('#services/accounts/api_key_cache')
    for (const apiKey of await User.apiKeys.all(user)) {
      await User.apiKeys.delete(user, apiKey.identifier)
    }
    forgetApiKeys()
    const after = await client.get('/api/v1/tokens').bearerToken(key)
    after.assertStatus(401)
  })
})
