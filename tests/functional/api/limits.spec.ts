import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import { apiLimiter } from '#start/limiter'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { startWebProcess } from '#tests/helpers/web_process'

const base = () => `http://${process.env.HOST}:${process.env.PORT}`

test.group('API v1 limits and hostile input', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an oversized body answers 413', async ({ assert }) => {
    const key = await makeApiKey(await makeUser())
    const response = await fetch(`${base()}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', desc: 'y'.repeat(200_000) }),
    })
    assert.equal(response.status, 413)
    const payload = (await response.json()) as { errors: { code: string; message: string }[] }
    assert.equal(payload.errors[0].code, 'E_PAYLOAD_TOO_LARGE')
    assert.include(payload.errors[0].message, '100kb')
  })

  test('the key is checked before the body is read: 401 and 403 come first', async ({ assert }) => {
    const readOnly = await makeApiKey(await makeUser(), 'read-only')
    const post = (body: string, key?: string) =>
      fetch(`${base()}/api/v1/tokens`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body,
      })
    const anonymous = await post('{"name": ')
    assert.equal(anonymous.status, 401)
    const anonymousLarge = await post(JSON.stringify({ name: 'x', desc: 'y'.repeat(200_000) }))
    assert.equal(anonymousLarge.status, 401)
    const reader = await post('{"name": ', readOnly)
    assert.equal(reader.status, 403)
  })

  test('an API key past its rate limit gets 429 with Retry-After', async ({
    client,
    assert,
    cleanup,
  }) => {
    const previous = app.config.get('ngip.apiRateLimit')
    app.config.set('ngip.apiRateLimit', 3)
    cleanup(() => app.config.set('ngip.apiRateLimit', previous))
    const key = await makeApiKey(await makeUser())
    for (let i = 0; i < 3; i++) {
      const ok = await client.get('/api/v1/tokens').bearerToken(key)
      ok.assertStatus(200)
    }
    const limited = await client.get('/api/v1/tokens').bearerToken(key)
    limited.assertStatus(429)
    limited.assertBodyContains({ errors: [{ code: 'E_TOO_MANY_REQUESTS' }] })
    assert.isAbove(Number(limited.header('retry-after')), 0)
    const otherKey = await makeApiKey(await makeUser())
    const other = await client.get('/api/v1/tokens').bearerToken(otherKey)
    other.assertStatus(200)
  })

  test('a read far from the limit runs beside its check, and still answers 429 once the key is spent', async ({
    client,
    assert,
    cleanup,
  }) => {
    const previous = app.config.get('ngip.apiRateLimit')
    app.config.set('ngip.apiRateLimit', 100)
    cleanup(() => app.config.set('ngip.apiRateLimit', previous))
    const user = await makeUser()
    const key = await makeApiKey(user)
    const [stored] = await User.apiKeys.all(user)
    const first = await client.get('/api/v1/tokens').bearerToken(key)
    first.assertStatus(200)
    assert.equal(first.header('x-ratelimit-remaining'), '99')
    // far from the limit now: the next read starts before its check ends
    const second = await client.get('/api/v1/tokens').bearerToken(key)
    second.assertStatus(200)
    assert.equal(second.header('x-ratelimit-remaining'), '98')

    // spent elsewhere (another web process, say) since this one last looked
    await apiLimiter().set(`api_key:${stored.identifier}`, 100, '1 minute')
    const limited = await client.get('/api/v1/tokens').bearerToken(key)
    limited.assertStatus(429)
    limited.assertBodyContains({ errors: [{ code: 'E_TOO_MANY_REQUESTS' }] })
    assert.isAbove(Number(limited.header('retry-after')), 0)
    // and a write of a spent key is refused before it runs
    const write = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'late' })
    write.assertStatus(429)
    assert.lengthOf(await user.related('tokens').query(), 0)
  })

  test('hostile query strings and paths never answer 5xx', async ({ assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const paths = [
      '/api/v1/tokens?limit[]=1&limit[]=2',
      '/api/v1/tokens?status[$ne]=down',
      '/api/v1/tokens?q=%00%27%22%3B--',
      '/api/v1/tokens?tag=' + 'x'.repeat(5000),
      '/api/v1/tokens?cursor=%ff%fe',
      '/api/v1/tokens?limit=-1',
      '/api/v1/tokens?limit=1e400',
      `/api/v1/tokens/${token.uuid}/pings?since=yesterday`,
      `/api/v1/tokens/${token.uuid}/pings?kind=../../etc`,
      '/api/v1/pings?token=%27%20OR%201=1',
      '/api/v1/pings/99999999999999999999999',
      '/api/v1/pings/1;DROP TABLE pings',
      '/api/v1/tokens/%2e%2e%2f%2e%2e',
      '/api/v1/channels/%00',
      '/api/v1/channels?cursor=' + Buffer.from('k:2026|x').toString('base64url'),
    ]
    for (const path of paths) {
      const response = await fetch(`${base()}${path}`, {
        headers: { authorization: `Bearer ${key}` },
      })
      assert.isBelow(response.status, 500, path)
      assert.isAbove(response.status, 199, path)
      assert.property(await response.json(), response.ok ? 'data' : 'errors', path)
    }
  })

  test('bodies of the wrong type answer 4xx with the one error shape', async ({ assert }) => {
    const key = await makeApiKey(await makeUser())
    const bodies = [
      '[]',
      '"text"',
      '{"name": {"$gt": ""}}',
      '{"name": "x", "tags": {"a": 1}}',
      'null',
    ]
    for (const body of bodies) {
      const response = await fetch(`${base()}/api/v1/tokens`, {
        method: 'POST',
        headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      })
      assert.oneOf(response.status, [400, 422], body)
      const payload = (await response.json()) as { errors: { code: string }[] }
      assert.isArray(payload.errors, body)
    }
  })

  test('a body that is not a JSON object is 400; one that is not JSON at all is 415', async ({
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const post = (body: string, type?: string) =>
      fetch(`${base()}/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, ...(type ? { 'content-type': type } : {}) },
        body,
      })
    const array = await post('[{"name":"x"}]', 'application/json')
    assert.equal(array.status, 400)
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const response = await post('name=x', type)
      assert.equal(response.status, 415, type)
      const payload = (await response.json()) as { errors: { code: string }[] }
      assert.equal(payload.errors[0].code, 'E_UNSUPPORTED_MEDIA_TYPE')
    }
    const mergePatch = await post('{"name":"x"}', 'application/merge-patch+json')
    assert.equal(mergePatch.status, 201)
    // no body at all is fine where none is needed
    const created = (await mergePatch.json()) as { data: { id: string } }
    const pause = await fetch(`${base()}/api/v1/tokens/${created.data.id}/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    })
    assert.equal(pause.status, 200)
  })
})

test.group('API v1 rate limit across web processes', () => {
  test('two web processes on one Redis share one limit per API key', async ({
    assert,
    cleanup,
  }) => {
    // Committed for real: the two processes read the key from the database.
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
    })
    const key = await makeApiKey(user)
    const overrides = { API_RATE_LIMIT: '4', LIMITER_STORE: 'redis' }
    const [a, b] = await Promise.all([startWebProcess(overrides), startWebProcess(overrides)])
    cleanup(async () => {
      await Promise.all([a.close(), b.close()])
    })

    const seen = []
    for (const web of [a, b, a, b, a, b]) {
      const response = await fetch(`${web.url}/api/v1/tokens`, {
        headers: { authorization: `Bearer ${key}` },
      })
      seen.push([response.status, response.headers.get('x-ratelimit-remaining')])
    }
    assert.deepEqual(seen, [
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
      [429, '0'],
    ])
  }).timeout(120_000)
})
