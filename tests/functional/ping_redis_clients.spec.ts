import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { REDIS_CLIENT_KINDS } from '#ping/redis_connection'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { startEdge } from '#tests/helpers/edge'
import { queuedPings, send } from '#tests/helpers/ping'

const UNKNOWN = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'

/**
 * Both Redis clients of the edge (PING_REDIS_CLIENT) behave alike: the
 * benchmark compares them, so either may be chosen.
 */
test.group('Ping edge: each Redis client', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('{$self}: pings of one turn are enqueued with their bodies, unknown ones are not')
    .with([...REDIS_CLIENT_KINDS])
    .run(async ({ assert }, redisClient) => {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'Backup', slug: 'backup' })
      const edge = await startEdge(10_000, { redisClient })
      try {
        const answers = await Promise.all([
          ...Array.from({ length: 20 }, (_, i) =>
            send(edge.url, `/ping/${token.uuid}`, { method: 'POST', body: `run ${i}` })
          ),
          send(edge.url, `/ping/${user.pingKey}/backup/fail`),
          send(edge.url, `/ping/${UNKNOWN}`),
        ])
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [...Array.from({ length: 21 }, () => 200), 404]
        )
        const pings = await queuedPings()
        assert.lengthOf(pings, 21)
        assert.sameMembers(
          pings.filter((ping) => ping.action === 'success').map((ping) => ping.body?.toString()),
          Array.from({ length: 20 }, (_, i) => `run ${i}`)
        )
        const health = await send(edge.url, '/health')
        assert.equal(health.status, 200)
      } finally {
        await edge.close()
      }
    })
})
