import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import UserService from '#services/accounts/user_service'
import redis from '@adonisjs/redis/services/main'
import { redisKeys, slugField } from '#lib/redis_keys'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('User administration', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('an admin cannot delete themselves, nor a User who does not exist', async ({ assert }) => {
    const admin = await makeUser({ isAdmin: true })
    assert.deepEqual(await UserService.remove(admin, String(admin.id)), {
      ok: false,
      error: 'self',
    })
    assert.deepEqual(await UserService.remove(admin, '999999999'), {
      ok: false,
      error: 'not_found',
    })
    assert.deepEqual(await UserService.remove(admin, '1 OR 1=1'), {
      ok: false,
      error: 'not_found',
    })
    assert.isNotNull(await User.find(admin.id))
  })

  test('a non-admin’s crafted delete answers 404 and deletes nothing', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const victim = await makeUser()
    const response = await client
      .delete(`/users/${victim.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(404)
    assert.isNotNull(await User.find(victim.id))
  })

  test('a new ping key moves the slug routes on the edge; the old key stops working', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const old = user.pingKey
    const token = await makeToken(user, { name: 'backup', slug: 'backup' })
    assert.equal(await redis.hget(redisKeys.slugs, slugField(old, 'backup')), token.uuid)

    const response = await client
      .post('/account/ping-key')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    assert.equal(response.status(), 302)
    await user.refresh()
    assert.notEqual(user.pingKey, old)
    assert.isNull(await redis.hget(redisKeys.slugs, slugField(old, 'backup')))
    assert.equal(await redis.hget(redisKeys.slugs, slugField(user.pingKey, 'backup')), token.uuid)
    assert.equal(await redis.sismember(redisKeys.pingKeys, old), 0)
    assert.equal(await redis.sismember(redisKeys.pingKeys, user.pingKey), 1)
  })
})
