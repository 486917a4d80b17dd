import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import { RedisClient } from '#ping/redis_client'
import { Outage, RedisUnavailable } from '#ping/redis_connection'
import { testRedisConfig } from '#tests/helpers/redis'
import { drippingProxy, FaultProxy } from '#tests/helpers/fault_proxy'

/** Holds this process's event loop for `ms`, as a burst of requests would. */
function hold(ms: number) {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // busy
  }
}

async function connect(port: number, timeoutMs: number, busyTimeoutMs?: number) {
  const client = new RedisClient(
    { ...testRedisConfig(), port, timeoutMs, busyTimeoutMs },
    new Outage('127.0.0.1', port)
  )
  await client.whenReady()
  return client
}

/** A client through a fault proxy, its connection used once, then Redis frozen. */
async function frozenBehindProxy(timeoutMs: number) {
  const proxy = await FaultProxy.start(testRedisConfig().port)
  const client = await connect(proxy.port, timeoutMs)
  if ((await client.command(['PING'])) !== 'PONG') {
    throw new Error('no PONG before the freeze')
  }
  proxy.freeze()
  return { proxy, client }
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

  test('an edge held up with its Redis (a paused machine) waits for the reply before it calls Redis stalled', async ({
    assert,
  }) => {
    // The proxy runs in this process: held up with the edge, as a paused machine holds both.
    const { proxy, client } = await frozenBehindProxy(50)
    try {
      const reply = client.command(['PING']).catch((error: Error) => error.message)
      // Once the loop runs again, the timeout check and this thaw are both due: the PING
      // reaches Redis only then, and its reply comes a moment after the check.
      setTimeout(() => proxy.thaw(), 60)
      hold(200)
      assert.equal(await reply, 'PONG')
    } finally {
      client.close()
      await proxy.close()
    }
  }).timeout(20_000)

  test('on a host that holds up every timer, a Redis silent for good is still called stalled', async ({
    assert,
  }) => {
    const { proxy, client } = await frozenBehindProxy(50)
    // Every turn of the loop takes 30 ms: each timeout check comes more than 10 ms late.
    const busy = setInterval(() => hold(30), 1)
    try {
      const started = performance.now()
      const failed = await Promise.race([
        client.command(['PING']).catch((error: Error) => error.message),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 2 s'), 2000)),
      ])
      assert.equal(failed, 'redis stalled')
      assert.isBelow(performance.now() - started, 1000)
    } finally {
      clearInterval(busy)
      client.close()
      await proxy.close()
    }
  }).timeout(20_000)

  test('a stalled Redis fails what waits on it, and is used again once it answers', async ({
    assert,
  }) => {
    const { proxy, client } = await frozenBehindProxy(50)
    try {
      const failed = await client.command(['PING']).catch((error: Error) => error)
      assert.instanceOf(failed, RedisUnavailable)
      assert.equal((failed as Error).message, 'redis stalled')
      proxy.thaw()
      // the held PING is forwarded now; its reply says Redis is back
      const deadline = Date.now() + 5000
      let answer: unknown
      while (Date.now() < deadline) {
        answer = await client.command(['PING']).catch((error: Error) => error.message)
        if (answer === 'PONG') {
          break
        }
      }
      assert.equal(answer, 'PONG')
    } finally {
      client.close()
      await proxy.close()
    }
  }).timeout(20_000)

  test('a command fails only after waiting its own timeout: one sent during the silence is answered when Redis speaks', async ({
    assert,
  }) => {
    const timeoutMs = 600
    const proxy = await FaultProxy.start(testRedisConfig().port)
    const client = await connect(proxy.port, timeoutMs)
    const outcome = (reply: Promise<unknown>) =>
      reply.then(
        (value) => ({ reason: String(value), at: performance.now() }),
        (error: Error) => ({ reason: error.message, at: performance.now() })
      )
    try {
      assert.equal(await client.command(['PING']), 'PONG')
      // Redis sends nothing for 1.5 × timeoutMs, then answers everything.
      proxy.freeze()
      const start = performance.now()
      const first = outcome(client.command(['PING']))
      await sleep(timeoutMs * 0.8)
      const during = outcome(client.command(['ECHO', 'during']))
      const failed = await first
      const afterFailure = outcome(client.command(['ECHO', 'after']))
      await sleep(Math.max(0, start + timeoutMs * 1.5 - performance.now()))
      const thawedAt = performance.now()
      proxy.thaw()
      assert.equal(failed.reason, 'redis stalled')
      assert.isAtLeast(failed.at - start, timeoutMs - 5)
      const later = await Promise.all([during, afterFailure])
      assert.deepEqual(
        later.map((answer) => answer.reason),
        ['during', 'after']
      )
      for (const answer of later) {
        assert.isAtLeast(answer.at, thawedAt, 'not refused early')
      }
    } finally {
      client.close()
      await proxy.close()
    }
  }).timeout(20_000)

  test('a Redis that answers slowly but keeps sending is waited for, not failed', async ({
    assert,
  }) => {
    // The connection's handshake comes through the slow proxy too.
    const proxy = await drippingProxy(testRedisConfig().port, 10)
    const client = await connect(proxy.port, 200, 5000)
    try {
      const text = 'x'.repeat(60)
      // ~70 bytes at one every 10 ms: the reply takes 700 ms, Redis never silent 200 ms.
      assert.equal(await client.command(['ECHO', text]), text)
    } finally {
      client.close()
      await proxy.close()
    }
  }).timeout(20_000)
})
