import { test } from '@japa/runner'
import { RedisClient } from '#ping/redis_client'
import { Outage, RedisUnavailable } from '#ping/redis_connection'
import { testRedisConfig } from '#tests/helpers/redis'
import { FaultProxy } from '#tests/helpers/fault_proxy'

/** Holds this process's event loop for `ms`, as a burst of requests would. */
function hold(ms: number) {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // busy
  }
}

/** A promise's outcome if it is already settled now, else 'pending'. */
async function settledNow<T>(promise: Promise<T>) {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error })
  )
  return Promise.race([
    outcome,
    new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending'))),
  ])
}

async function connect(port: number, timeoutMs: number, busyTimeoutMs?: number) {
  const client = new RedisClient(
    { ...testRedisConfig(), port, timeoutMs, busyTimeoutMs },
    new Outage('127.0.0.1', port)
  )
  await client.whenReady()
  return client
}

/**
 * The edge's Redis client tells a Redis that is down (silent) from one that
 * is busy, and never blames Redis for its own busy event loop.
 */
test.group('Ping edge: Redis timeouts', () => {
  test('a reply that arrived while the edge was busy is taken, not timed out', async ({
    assert,
  }) => {
    const client = await connect(testRedisConfig().port, 50)
    try {
      // From the check phase: the next turn runs the timers before reading the socket.
      const reply = await new Promise<Promise<unknown>>((resolve) =>
        setImmediate(() => {
          const pending = client.command(['PING'])
          hold(300)
          resolve(pending)
        })
      )
      assert.equal(await reply, 'PONG')
    } finally {
      client.close()
    }
  })

  test('a stalled Redis fails the waiting commands, then new ones at once, until it answers', async ({
    assert,
  }) => {
    const proxy = await FaultProxy.start(testRedisConfig().port)
    const client = await connect(proxy.port, 50)
    try {
      assert.equal(await client.command(['PING']), 'PONG')
      proxy.freeze()
      const waiting = client.command(['PING'])
      const failed = await waiting.catch((error: Error) => error)
      assert.instanceOf(failed, RedisUnavailable)
      assert.equal((failed as Error).message, 'redis stalled')
      // Not sent to a stalled Redis: failed before any I/O.
      const next = await settledNow(client.command(['PING']))
      assert.notEqual(next, 'pending')
      assert.equal((next as { error: Error }).error.message, 'redis stalled')

      proxy.thaw()
      // The held PING's reply says Redis is back.
      const deadline = Date.now() + 5000
      let answer: unknown
      while (Date.now() < deadline) {
        answer = await client.command(['PING']).catch((error: Error) => error.message)
        if (answer === 'PONG') {
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.equal(answer, 'PONG')
    } finally {
      client.close()
      await proxy.close()
    }
  })
})
