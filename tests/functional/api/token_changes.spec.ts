import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('API v1 tokens: create, change, delete, pause, resume', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a create with unique returns the existing Token with 200', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const first = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'backup', slug: 'backup' })
    first.assertStatus(201)
    const again = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'other name', slug: 'backup', unique: ['slug'] })
    again.assertStatus(200)
    assert.equal(again.body().data.id, first.body().data.id)
    const byName = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'backup', unique: ['name'] })
    assert.equal(byName.body().data.id, first.body().data.id)
  })

  test('a slug is unique per user, not across users: a clash is 409', async ({ client }) => {
    const key = await makeApiKey(await makeUser())
    await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'a', slug: 'nightly' })
    const clash = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'b', slug: 'nightly' })
    clash.assertStatus(409)
    clash.assertBodyContains({ errors: [{ field: 'slug', code: 'E_CONFLICT' }] })
    const renamed = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'c' })
    const moved = await client
      .patch(`/api/v1/tokens/${renamed.body().data.id}`)
      .bearerToken(key)
      .json({ slug: 'nightly' })
    moved.assertStatus(409)
    moved.assertBodyContains({ errors: [{ field: 'slug', code: 'E_CONFLICT' }] })
    const otherKey = await makeApiKey(await makeUser())
    const other = await client
      .post('/api/v1/tokens')
      .bearerToken(otherKey)
      .json({ name: 'b', slug: 'nightly' })
    other.assertStatus(201)
  })

  test('a schedule without a kind makes a cron Token, a timeout a simple one', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'nightly', schedule: '0 3 * * *', tz: 'Europe/Riga' })
    created.assertStatus(201)
    assert.containSubset(created.body().data, { kind: 'cron', schedule: '0 3 * * *' })

    const simple = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'x' })
    assert.equal(simple.body().data.kind, 'simple')
    const changed = await client
      .patch(`/api/v1/tokens/${simple.body().data.id}`)
      .bearerToken(key)
      .json({ schedule: '*/5 * * * *' })
    assert.containSubset(changed.body().data, { kind: 'cron', schedule: '*/5 * * * *' })
    const back = await client
      .patch(`/api/v1/tokens/${simple.body().data.id}`)
      .bearerToken(key)
      .json({ timeout: 600 })
    assert.containSubset(back.body().data, { kind: 'simple', timeout: 600 })
  })

  test('tags may be a space-separated string', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'x', tags: 'prod  db prod' })
    assert.deepEqual(created.body().data.tags, ['prod', 'db'])
  })

  test('PATCH changes the schedule and keeps the rest', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user, { name: 'job', tags: ['a'] })
    const response = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(key)
      .json({ kind: 'cron', schedule: '0 3 * * *', tz: 'Europe/Berlin', grace: 120 })
    response.assertStatus(200)
    assert.containSubset(response.body().data, {
      name: 'job',
      tags: ['a'],
      kind: 'cron',
      schedule: '0 3 * * *',
      tz: 'Europe/Berlin',
      grace: 120,
    })
  })

  test('PATCH validates like create', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    const response = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(await makeApiKey(user))
      .json({ name: 'x'.repeat(101), grace: 31_536_001, schedule: '61 * * * *' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.sameMembers(fields, ['name', 'grace', 'schedule'])
  })

  test('channels must be the user’s own', async ({ client }) => {
    const me = await makeUser()
    const key = await makeApiKey(me)
    const theirKey = await makeApiKey(await makeUser())
    const theirs = await client
      .post('/api/v1/channels')
      .bearerToken(theirKey)
      .json({ kind: 'slack', name: 'theirs', config: { url: 'https://hooks.example.com/x' } })
    const response = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'x', channels: [theirs.body().data.id] })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'channels' }] })
  })

  test('a Token alerts the Channels it lists', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const channel = await client
      .post('/api/v1/channels')
      .bearerToken(key)
      .json({ kind: 'slack', name: 'ops', config: { url: 'https://hooks.example.com/x' } })
    const token = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'x', channels: [channel.body().data.id] })
    assert.deepEqual(token.body().data.channels, [channel.body().data.id])
    const listed = await client.get('/api/v1/tokens').bearerToken(key)
    assert.deepEqual(listed.body().data[0].channels, [channel.body().data.id])
    const read = await client.get(`/api/v1/tokens/${token.body().data.id}`).bearerToken(key)
    assert.deepEqual(read.body().data.channels, [channel.body().data.id])
    const cleared = await client
      .patch(`/api/v1/tokens/${token.body().data.id}`)
      .bearerToken(key)
      .json({ channels: [] })
    assert.deepEqual(cleared.body().data.channels, [])
  })

  test('DELETE removes the Token and the edge stops accepting it', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 1)
    const response = await client.delete(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    response.assertStatus(204)
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 0)
    const read = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    read.assertStatus(404)
  })

  test('pause and resume write Flips', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const paused = await client.post(`/api/v1/tokens/${token.uuid}/pause`).bearerToken(key)
    paused.assertStatus(200)
    assert.equal(paused.body().data.status, 'paused')
    const resumed = await client.post(`/api/v1/tokens/${token.uuid}/resume`).bearerToken(key)
    assert.equal(resumed.body().data.status, 'new')
    const flips = await client.get(`/api/v1/tokens/${token.uuid}/flips`).bearerToken(key)
    flips.assertStatus(200)
    assert.deepEqual(
      flips
        .body()
        .data.map((flip: { old_status: string; new_status: string }) => [
          flip.old_status,
          flip.new_status,
        ]),
      [
        ['paused', 'new'],
        ['new', 'paused'],
      ]
    )
  })

  test('another user can neither change nor delete a Token', async ({ client }) => {
    const token = await makeToken(await makeUser())
    const key = await makeApiKey(await makeUser())
    const patch = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(key)
      .json({ name: 'mine' })
    patch.assertStatus(404)
    const remove = await client.delete(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    remove.assertStatus(404)
    const pause = await client.post(`/api/v1/tokens/${token.uuid}/pause`).bearerToken(key)
    pause.assertStatus(404)
  })
})
