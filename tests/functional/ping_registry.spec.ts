import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import TokenRegistry from '#services/token_registry'
import { redisKeys, slugField } from '#lib/redis_keys'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'

test.group('Token registry: what the edge knows', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a rebuild restores Tokens, slug routes and ping keys after Redis lost them', async ({
    assert,
  }) => {
    const user = await makeUser()
    const plain = await makeToken(user)
    const slugged = await makeToken(user, { slug: 'nightly' })
    await flushRedis()
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${plain.uuid}`), 404)
      assert.isAtLeast(await TokenRegistry.rebuild(2), 2)
      assert.equal(await statusOf(edge.url, `/ping/${plain.uuid}`), 200)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/nightly`), 200)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/other?create=1`), 201)
      assert.equal(
        await redis.hget(redisKeys.slugOf, slugged.uuid),
        slugField(user.pingKey, 'nightly')
      )
    } finally {
      await edge.close()
    }
  })

  test('a rebuild drops what the database no longer has', async ({ assert }) => {
    const user = await makeUser()
    await TokenRegistry.add('2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11', {
      uuid: '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11',
      pingKey: user.pingKey,
      slug: 'gone',
    })
    await TokenRegistry.rebuild()
    assert.equal(await redis.sismember(redisKeys.tokens, '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'), 0)
    assert.isNull(await redis.hget(redisKeys.slugs, slugField(user.pingKey, 'gone')))
    assert.equal(await redis.sismember(redisKeys.pingKeys, user.pingKey), 1)
  })
})
