import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeUser } from '#tests/helpers/factories'

const webhook = {
  kind: 'webhook',
  name: 'ops hook',
  config: {
    url: 'https://example.com/hook',
    method: 'POST',
    headers: { 'x-team': 'ops' },
    body: '$NAME is $STATUS',
  },
}

test.group('API v1 channels', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a webhook to a private address is refused with 422 on config.url', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const response = await client
      .post('/api/v1/channels')
      .bearerToken(key)
      .json({ ...webhook, config: { url: 'http://127.0.0.1:9/hook' } })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'config.url')
  })

  test('a read-only key sees Channels without their credentials', async ({ client, assert }) => {
    const user = await makeUser()
    const writer = await makeApiKey(user)
    const reader = await makeApiKey(user, 'read-only')
    const hook = await client.post('/api/v1/channels').bearerToken(writer).json(webhook)
    const ntfy = await client
      .post('/api/v1/channels')
      .bearerToken(writer)
      .json({
        kind: 'ntfy',
        name: 'phone',
        config: { url: 'https://ntfy.sh', topic: 'ops', token: 'tk_secret' },
      })
    const seen = await client.get(`/api/v1/channels/${hook.body().data.id}`).bearerToken(reader)
    seen.assertStatus(200)
    assert.deepEqual(seen.body().data.config, {
      url: 'https://example.com/…',
      method: 'POST',
      headers: { 'x-team': '********' },
      body: '$NAME is $STATUS',
    })
    const listed = await client.get('/api/v1/channels').bearerToken(reader)
    const phone = listed
      .body()
      .data.find((channel: { id: string }) => channel.id === ntfy.body().data.id)
    // on a public ntfy server the topic is the secret: whoever knows it reads the alerts
    assert.deepEqual(phone.config, {
      url: 'https://ntfy.sh',
      topic: '********',
      token: '********',
    })
    const full = await client.get(`/api/v1/channels/${hook.body().data.id}`).bearerToken(writer)
    assert.deepEqual(full.body().data.config, webhook.config)
    const fullPhone = await client
      .get(`/api/v1/channels/${ntfy.body().data.id}`)
      .bearerToken(writer)
    assert.equal(fullPhone.body().data.config.topic, 'ops')
  })

  test('creates, reads, changes and deletes a Channel', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/channels').bearerToken(key).json(webhook)
    created.assertStatus(201)
    const id = created.body().data.id
    assert.containSubset(created.body().data, {
      kind: 'webhook',
      name: 'ops hook',
      config: webhook.config,
      last_error: null,
      last_notify_at: null,
    })

    const list = await client.get('/api/v1/channels').bearerToken(key)
    assert.deepEqual(
      list.body().data.map((channel: { id: string }) => channel.id),
      [id]
    )

    const changed = await client
      .patch(`/api/v1/channels/${id}`)
      .bearerToken(key)
      .json({ name: 'renamed', config: { url: 'https://example.com/other' } })
    changed.assertStatus(200)
    assert.containSubset(changed.body().data, {
      name: 'renamed',
      config: { url: 'https://example.com/other' },
    })

    const removed = await client.delete(`/api/v1/channels/${id}`).bearerToken(key)
    removed.assertStatus(204)
    const gone = await client.get(`/api/v1/channels/${id}`).bearerToken(key)
    gone.assertStatus(404)
  })

  test('validates the config of each kind', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const cases = [
      { kind: 'webhook', config: { url: 'ftp://example.com' }, field: 'config.url' },
      {
        kind: 'webhook',
        config: { url: 'https://example.com', method: 'TRACE' },
        field: 'config.method',
      },
      { kind: 'email', config: { to: 'not-an-address' }, field: 'config.to' },
      { kind: 'slack', config: {}, field: 'config.url' },
      {
        kind: 'ntfy',
        config: { url: 'https://ntfy.sh', topic: 'has spaces' },
        field: 'config.topic',
      },
      // an access token goes in a header, where it must never fail a notification
      {
        kind: 'ntfy',
        config: { url: 'https://ntfy.sh', topic: 'ops', token: 'tk_🚀' },
        field: 'config.token',
      },
      { kind: 'pager', config: {}, field: 'kind' },
    ]
    for (const { kind, config, field } of cases) {
      const response = await client
        .post('/api/v1/channels')
        .bearerToken(key)
        .json({ kind, name: 'x', config })
      response.assertStatus(422)
      assert.include(
        response.body().errors.map((error: { field: string }) => error.field),
        field,
        `${kind}: ${field}`
      )
    }
  })

  test('another Project’s key gets 404, an admin’s too', async ({ client, assert }) => {
    const ownerKey = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/channels').bearerToken(ownerKey).json(webhook)
    const id = created.body().data.id
    const strangerKey = await makeApiKey(await makeUser())
    const read = await client.get(`/api/v1/channels/${id}`).bearerToken(strangerKey)
    read.assertStatus(404)
    const change = await client
      .patch(`/api/v1/channels/${id}`)
      .bearerToken(strangerKey)
      .json({ name: 'x' })
    change.assertStatus(404)
    const list = await client.get('/api/v1/channels').bearerToken(strangerKey)
    assert.deepEqual(list.body().data, [])
    const adminKey = await makeApiKey(await makeUser({ isAdmin: true }))
    const asAdmin = await client.get(`/api/v1/channels/${id}`).bearerToken(adminKey)
    asAdmin.assertStatus(404)
  })

  test('pages through Channels with no overlap or gap', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const made: string[] = []
    for (let i = 0; i < 5; i++) {
      const created = await client
        .post('/api/v1/channels')
        .bearerToken(key)
        .json({ ...webhook, name: `hook ${i}` })
      made.push(created.body().data.id)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await client
        .get('/api/v1/channels')
        .qs(cursor ? { limit: 2, cursor } : { limit: 2 })
        .bearerToken(key)
      response.assertStatus(200)
      seen.push(...response.body().data.map((channel: { id: string }) => channel.id))
      cursor = response.body().meta.next_cursor
    } while (cursor)
    assert.sameMembers(seen, made)
    assert.lengthOf(seen, made.length)
  })

  test("caps a webhook's headers: how many, and the length of names and values", async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const post = (headers: Record<string, string>) =>
      client
        .post('/api/v1/channels')
        .bearerToken(key)
        .json({ ...webhook, config: { ...webhook.config, headers } })
    const many = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, 'v']))
    const refused = [
      { headers: many(5000), field: 'config.headers', message: 'at most 20 headers' },
      { headers: many(21), field: 'config.headers', message: 'at most 20 headers' },
      { headers: { ['x'.repeat(65)]: 'v' }, field: 'config.headers', message: '1 to 64' },
      { headers: { 'x y': 'v' }, field: 'config.headers', message: 'letters, digits' },
      { headers: { Tést: 'v' }, field: 'config.headers', message: 'letters, digits' },
      { headers: { x: 'v'.repeat(1001) }, field: 'config.headers.x', message: 'at most 1000' },
      { headers: { x: 'a\r\nInjected: 1' }, field: 'config.headers.x', message: 'one line' },
    ]
    for (const { headers, field, message } of refused) {
      const response = await post(headers)
      response.assertStatus(422)
      const [error] = response.body().errors
      assert.equal(error.field, field, message)
      assert.include(error.message, message)
    }
    const most = await post({ ...many(19), ['x'.repeat(64)]: 'v'.repeat(1000) })
    most.assertStatus(201)
    assert.lengthOf(Object.keys(most.body().data.config.headers), 20)
  })
})
