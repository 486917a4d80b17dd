import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import TokenRegistry from '#services/registry/token_registry'
import UserService from '#services/accounts/user_service'
import { redisKeys, slugField } from '#lib/redis_keys'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'

/**
 * What the edge would know after a full sync, read from PostgreSQL: every
 * Token's UUID and each slugged Token's route.
 */
async function expectedKeys() {
  const rows = await db
    .from('tokens')
    .join('users', 'users.id', 'tokens.user_id')
    .select('tokens.uuid', 'tokens.slug', 'users.ping_key')
  const routes: Record<string, string> = {}
  for (const row of rows.filter((candidate) => candidate.slug)) {
    routes[slugField(row.ping_key, row.slug)] = row.uuid
  }
  return { tokens: rows.map((row) => row.uuid as string).sort(), routes }
}

/** The edge's keys equal what PostgreSQL has, with no sync run. */
async function assertInStep(assert: Assert, after: string) {
  const expected = await expectedKeys()
  const members = await redis.smembers(redisKeys.tokens)
  assert.deepEqual(members.sort(), expected.tokens, `Token set after ${after}`)
  assert.deepEqual(await redis.hgetall(redisKeys.slugs), expected.routes, `routes after ${after}`)
}

/** Writes must never lean on a sync: one that ran would hide a forgotten path. */
function forbidSync() {
  const original = TokenRegistry.sync
  TokenRegistry.sync = () => {
    throw new Error('no sync may run in this test')
  }
  return () => {
    TokenRegistry.sync = original
  }
}

test.group('Token registry: every write path keeps the edge in step, no sync', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(() => forbidSync())

  test('REST API: create, slug change, pause, resume, delete', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const created = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'backup', slug: 'backup' })
    created.assertStatus(201)
    const uuid = created.body().data.id
    await assertInStep(assert, 'create')
    await client.patch(`/api/v1/tokens/${uuid}`).bearerToken(key).json({ slug: 'nightly' })
    await assertInStep(assert, 'slug change')
    await client.post(`/api/v1/tokens/${uuid}/pause`).bearerToken(key)
    await assertInStep(assert, 'pause')
    await client.post(`/api/v1/tokens/${uuid}/resume`).bearerToken(key)
    await assertInStep(assert, 'resume')
    const deleted = await client.delete(`/api/v1/tokens/${uuid}`).bearerToken(key)
    deleted.assertStatus(204)
    await assertInStep(assert, 'delete')
  })

  test('admin UI: create, change, pause, delete', async ({ client, assert }) => {
    const user = await makeUser()
    const form = { name: 'mirror', slug: 'mirror', kind: 'simple', timeout: '3600', grace: '60' }
    const created = await client
      .post('/tokens')
      .form(form)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    assert.equal(created.status(), 302)
    const token = await db.from('tokens').where('user_id', user.id).firstOrFail()
    await assertInStep(assert, 'create')
    await client
      .put(`/tokens/${token.uuid}`)
      .form({ ...form, slug: 'mirror-2' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    const changed = await db.from('tokens').where('id', token.id).first()
    assert.equal(changed.slug, 'mirror-2')
    await assertInStep(assert, 'change')
    await client.post(`/tokens/${token.uuid}/pause`).loginAs(user).withCsrfToken().redirects(0)
    await assertInStep(assert, 'pause')
    await client.delete(`/tokens/${token.uuid}`).loginAs(user).withCsrfToken().redirects(0)
    assert.isNull(await db.from('tokens').where('id', token.id).first())
    await assertInStep(assert, 'delete')
  })

  test('a Token the ingest creates for ?create=1', async ({ assert }) => {
    const user = await makeUser()
    await makeToken(user, { slug: 'kept' })
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/fresh?create=1`), 201)
      await drain(await makeIngest())
      assert.isNotNull(await db.from('tokens').where('slug', 'fresh').first())
      await assertInStep(assert, 'auto-create')
    } finally {
      await edge.close()
    }
  })

  test('an admin deletes a User with 2,500 Tokens: all leave the edge', async ({ assert }) => {
    const admin = await makeUser({ isAdmin: true })
    const kept = await makeToken(admin, { slug: 'mine' })
    const leaving = await makeUser()
    await makeToken(leaving, { slug: 'theirs' })
    const inserted = await db.rawQuery(
      `INSERT INTO tokens (uuid, user_id, name, created_at, updated_at)
       SELECT gen_random_uuid(), ?, 'Bulk ' || n, now(), now() FROM generate_series(1, 2500) n
       RETURNING uuid`,
      [leaving.id]
    )
    await redis.sadd(redisKeys.tokens, ...inserted.rows.map((row: { uuid: string }) => row.uuid))
    await assertInStep(assert, 'setup')
    const removed = await UserService.remove(admin, String(leaving.id))
    assert.isTrue(removed.ok)
    await assertInStep(assert, 'the User’s delete')
    assert.equal(await redis.sismember(redisKeys.tokens, kept.uuid), 1)
  })

  test('a User’s new ping key moves every slug route', async ({ client, assert }) => {
    const user = await makeUser()
    await makeToken(user, { slug: 'a' })
    await makeToken(user, { slug: 'b' })
    await client.post('/account/ping-key').loginAs(user).withCsrfToken().redirects(0)
    await assertInStep(assert, 'new ping key')
  })
})

test.group('Token registry: the scheduler’s full check is a rare safety net', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('runs when due or when Redis lost its marker, not every minute', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const now = Date.now()
    assert.equal(await TokenRegistry.syncIfDue(3600, now), 'synced')
    await redis.srem(redisKeys.tokens, token.uuid)
    assert.equal(await TokenRegistry.syncIfDue(3600, now + 60_000), 'fresh')
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 0)
    assert.equal(await TokenRegistry.syncIfDue(3600, now + 3_601_000), 'synced')
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 1)
    // Redis restarted empty: the marker went with the keys.
    await flushRedis()
    assert.equal(await TokenRegistry.syncIfDue(3600, now + 3_660_000), 'synced')
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 1)
  })

  test('never two at once', async ({ assert }) => {
    await makeToken(await makeUser())
    const results = await Promise.all([
      TokenRegistry.syncIfDue(3600),
      TokenRegistry.syncIfDue(3600),
    ])
    assert.sameMembers(results, ['synced', 'busy'])
  })
})
