import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import Ping from '#models/ping'
import MetricsService from '#services/operations/metrics_service'
import { pingQueueDepth } from '#services/operations/queue_depth_metric'
import { redisKeys } from '#lib/redis_keys'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { send } from '#tests/helpers/ping'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function consumers() {
  const replies = (await redis.xinfo('CONSUMERS', redisKeys.pings, redisKeys.ingestGroup)) as [
    string,
    string,
  ][]
  return replies.map((reply) => reply[1]).sort()
}

async function metricsFigure() {
  const text = await MetricsService.render()
  return Number(/^ngip_ping_queue_length (\d+)$/m.exec(text)?.[1])
}

test.group('Ping queue depth: the backlog workers have left', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('counts unread and pending entries, and falls to 0 once a dead worker’s are claimed', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    const ping = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const answer = await send(edge.url, `/ping/${token.uuid}`)
        assert.equal(answer.status, 200)
      }
    }
    try {
      assert.equal(await pingQueueDepth(), 0)
      await ping(3)
      // no worker yet: every entry waits
      assert.equal(await pingQueueDepth(), await redis.xlen(redisKeys.pings))
      const waiting = await pingQueueDepth()

      // a worker reads them, then dies before acknowledging
      const dead = await makeIngest('dead-worker')
      assert.lengthOf(await dead.readNew(), waiting)
      await ping(2)
      const later = (await redis.xlen(redisKeys.pings)) - waiting
      assert.equal(await pingQueueDepth(), waiting + later)

      // a live worker stores the new ones; the dead one's stay pending (and in the stream)
      await drain(await makeIngest('live-worker'))
      assert.equal(await redis.xlen(redisKeys.pings), waiting + later)
      assert.equal(await pingQueueDepth(), waiting)
      assert.equal(await metricsFigure(), waiting)

      // one that holds entries is never removed, however silent
      const live = await makeIngest('live-worker', { claimIdleMs: 50 })
      await sleep(100)
      assert.deepEqual(await live.stream.forgetDeadConsumers(50), [])

      // the live worker claims and stores them; no new ping comes
      assert.equal(await drain(live), waiting)
      assert.equal(await pingQueueDepth(), 0)
      assert.equal(await metricsFigure(), 0)
      assert.equal(await redis.xlen(redisKeys.pings), 0)
      assert.deepEqual(await consumers(), ['live-worker'])
      assert.lengthOf(await Ping.query().where('token_id', token.id), 5)
    } finally {
      await edge.close()
    }
  })
})
