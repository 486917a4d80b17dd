import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import Channel from '#models/channel'
import Token from '#models/token'

/** A lone UTF-16 surrogate: JSON holds it as "\ud800", PostgreSQL does not */
const LONE = 'a\ud800b'
const hook = { url: 'https://example.com/hook' }

test.group('API v1 input JavaScript holds and PostgreSQL does not', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a time before year 1 or after 9999 answers 422 naming since or until', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const lists = ['/api/v1/pings', `/api/v1/tokens/${token.uuid}/pings`]
    const times = ['-271821-04-20T00:00:00Z', '-004714-11-23T00:00:00Z', '0000-12-31T23:59:59Z']
    for (const path of lists) {
      for (const field of ['since', 'until']) {
        for (const time of times) {
          const response = await client
            .get(path)
            .qs({ [field]: time })
            .bearerToken(key)
          response.assertStatus(422)
          assert.deepEqual(response.body().errors, [
            {
              code: 'E_VALIDATION_ERROR',
              field,
              message: `The ${field} field must be a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z`,
            },
          ])
        }
        const edge = await client
          .get(path)
          .qs({ [field]: field === 'since' ? '0001-01-01T00:00:00Z' : '9999-12-31T23:59:59Z' })
          .bearerToken(key)
        edge.assertStatus(200)
      }
    }
  })

  test('a lone surrogate in a Channel answers 422 naming the field', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const cases = [
      { kind: 'webhook', name: LONE, config: hook, field: 'name' },
      { kind: 'webhook', config: { ...hook, body: LONE }, field: 'config.body' },
      {
        kind: 'webhook',
        config: { ...hook, headers: { 'X-A': LONE } },
        field: 'config.headers.X-A',
      },
      { kind: 'webhook', config: { ...hook, headers: { [LONE]: 'v' } }, field: 'config.headers' },
      { kind: 'webhook', config: { url: `https://example.com/${LONE}` }, field: 'config.url' },
      { kind: 'email', config: { to: `ops${LONE}@example.com` }, field: 'config.to' },
      { kind: 'ntfy', config: { ...hook, topic: 'ops', token: LONE }, field: 'config.token' },
      { kind: 'ntfy', config: { ...hook, topic: LONE }, field: 'config.topic' },
    ]
    for (const { field, ...input } of cases) {
      const response = await client
        .post('/api/v1/channels')
        .bearerToken(key)
        .json({ name: 'x', ...input })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field, field)
    }
    const channel = await makeChannel(user)
    const changed = await client
      .patch(`/api/v1/channels/${channel.id}`)
      .bearerToken(key)
      .json({ config: { ...hook, headers: { 'X-A': LONE } } })
    changed.assertStatus(422)
    assert.equal(changed.body().errors[0].field, 'config.headers.X-A')
    assert.include(changed.body().errors[0].message, 'lone UTF-16 surrogate')
  })

  test('a lone surrogate in a Token answers 422 naming the field, not a changed name', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const cases = [
      { input: { name: LONE }, field: 'name' },
      { input: { name: 'x', desc: LONE }, field: 'desc' },
      { input: { name: 'x', tags: ['ok', LONE] }, field: 'tags.1' },
      { input: { name: 'x', tags: `ok ${LONE}` }, field: 'tags' },
    ]
    for (const { input, field } of cases) {
      const response = await client.post('/api/v1/tokens').bearerToken(key).json(input)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field, field)
    }
    const token = await makeToken(user)
    const renamed = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(key)
      .json({ name: LONE })
    renamed.assertStatus(422)
    assert.equal(renamed.body().errors[0].field, 'name')
  })

  test('the admin forms answer the same input with the form again, never 5xx', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    const channel = await makeChannel(user)
    const posts = [
      client
        .post('/channels')
        .json({ kind: 'webhook', name: 'x', config: { ...hook, body: LONE } }),
      client.put(`/channels/${channel.id}`).json({ name: 'x', config: { ...hook, body: LONE } }),
      client.post('/channels').form({
        kind: 'webhook',
        name: 'x',
        config: {
          ...hook,
          headers: Array.from({ length: 5000 }, (_, i) => `X-${i}: v`).join('\n'),
        },
      }),
      client.post('/tokens').json({ name: LONE, kind: 'simple' }),
      client.put(`/tokens/${token.uuid}`).json({ name: 'x', kind: 'simple', desc: LONE }),
    ]
    for (const request of posts) {
      const response = await request.loginAs(user).withCsrfToken().redirects(0)
      assert.equal(response.status(), 302)
    }
    // each went back to its form: nothing was made or changed
    assert.lengthOf(await Channel.query().where('user_id', user.id), 1)
    assert.lengthOf(await Token.query().where('user_id', user.id), 1)
    await token.refresh()
    assert.equal(token.desc, '')
  })

  test('a lone surrogate in an email at sign-in or in a new User goes back to the form', async ({
    client,
    assert,
  }) => {
    const admin = await makeUser({ isAdmin: true })
    const signIn = await client
      .post('/login')
      .json({ email: `${LONE}@example.com`, password: 'whatever' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(signIn.status(), 302)
    const created = await client
      .post('/users')
      .json({ email: `${LONE}@example.com`, password: 'long-enough-password' })
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    assert.equal(created.status(), 302)
  })
})
