import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import { REDIS_CLIENT_KINDS, type RedisClientKind } from '#ping/redis_connection'
import { RedisPingStore } from '#ping/redis_store'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis, testRedisConfig } from '#tests/helpers/redis'
import { startEdge } from '#tests/helpers/edge'
import { acceptPing, queuedPings, send, type Sent, statusOf } from '#tests/helpers/ping'
import { drippingProxy, FaultProxy } from '#tests/helpers/fault_proxy'
import { waitFor } from '#tests/helpers/worker_process'

const UNKNOWN = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'

/** A request's status and when its answer came (performance.now()). */
async function timed(base: string, path: string, init: RequestInit = {}) {
  const { status, text } = await send(base, path, init)
  return { status, text, at: performance.now() }
}

/** Counts the pings that reached the edge's store. */
function countArrivals(store: RedisPingStore) {
  const accept = store.accept.bind(store)
  const seen = { count: 0 }
  store.accept = (...args) => {
    seen.count++
    return accept(...args)
  }
  return seen
}

/**
 * An edge that reaches Redis through a fault proxy, with a Token whose first
 * ping was answered 200 before any fault. `close` stops both.
 */
async function edgeBehindProxy(redisClient: RedisClientKind, redisTimeoutMs: number) {
  const user = await makeUser()
  const token = await makeToken(user, { name: 'Backup' })
  const proxy = await FaultProxy.start(testRedisConfig().port)
  let edge: Awaited<ReturnType<typeof startEdge>> | undefined
  const close = async () => {
    await edge?.close()
    await proxy.close()
  }
  try {
    edge = await startEdge(10_000, { redisPort: proxy.port, redisClient, redisTimeoutMs })
    const url = `/ping/${token.uuid}`
    const status = await statusOf(edge.url, url)
    if (status !== 200) {
      throw new Error(`the first ping got ${status}, not 200`)
    }
    return { edge, proxy, url, close }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * The edge's store commits in groups: while two flushes await Redis, the
 * pings that come queue and go together once one is answered or failed. A
 * ping gets 503 only after waiting its own timeout at Redis: the pings
 * queued behind a failed flush are still sent.
 */
test.group('Ping edge: group commit', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test(
    '{$self}: two flushes await Redis at most; pings that come meanwhile go together in the next, each answered for itself'
  )
    .with([...REDIS_CLIENT_KINDS])
    .run(async ({ assert }, redisClient) => {
      const user = await makeUser()
      const limited = await makeToken(user, { name: 'Limited' })
      await makeToken(user, { name: 'Backup', slug: 'backup' })
      const proxy = await FaultProxy.start(testRedisConfig().port)
      const edge = await startEdge(10_000, {
        redisPort: proxy.port,
        redisClient,
        rateLimit: 50,
        redisTimeoutMs: 10_000,
      })
      const arrivals = countArrivals(edge.store)
      const post = (path: string, body: string) => send(edge.url, path, { method: 'POST', body })
      try {
        proxy.freeze()
        const first = post(`/ping/${limited.uuid}`, 'limited 0')
        await waitFor(
          'the first flush at Redis',
          async () => proxy.holding,
          (n) => n > 0
        )
        // A second flush does not wait for the first one's answer.
        const second = post(`/ping/${limited.uuid}`, 'limited 1')
        await waitFor(
          'a second flush at Redis while the first awaits its answer',
          async () => proxy.holding,
          (n) => n === 2
        )
        // More than one script call's worth (64) queues behind both.
        const behind = [
          ...Array.from({ length: 58 }, (_, i) =>
            post(`/ping/${limited.uuid}`, `limited ${i + 2}`)
          ),
          ...Array.from({ length: 6 }, (_, i) =>
            post(`/ping/${user.pingKey}/backup`, `backup ${i}`)
          ),
          ...Array.from({ length: 5 }, () => send(edge.url, `/ping/${UNKNOWN}`)),
        ]
        await waitFor(
          'every ping at the edge',
          async () => arrivals.count,
          (n) => n === 71
        )
        assert.equal(proxy.holding, 2, 'nothing more sent while two flushes wait')
        proxy.thaw()
        const answers = await Promise.all([first, second, ...behind])
        const texts = answers.map((answer) => `${answer.status} ${answer.text}`)
        const okLimited = texts.slice(0, 60)
        assert.equal(okLimited.filter((text) => text === '200 OK').length, 50)
        assert.equal(okLimited.filter((text) => text === '200 OK (rate limited)').length, 10)
        assert.deepEqual(texts.slice(60, 66), Array(6).fill('200 OK'))
        assert.deepEqual(texts.slice(66), Array(5).fill('404 not found'))

        // One stream entry per script call: the first two flushes, then 69 pings in two calls.
        assert.equal(await redis.xlen(redisKeys.pings), 4)
        const queued = await queuedPings()
        const bodies = queued.map((ping) => ping.body?.toString())
        const accepted = answers.flatMap((answer, i) =>
          answer.text === 'OK' ? [i < 60 ? `limited ${i}` : `backup ${i - 60}`] : []
        )
        assert.lengthOf(bodies, 56)
        assert.sameMembers(bodies, accepted)
      } finally {
        await edge.close()
        await proxy.close()
      }
    })
    .timeout(20_000)

  test('a ping on an idle edge is sent at once, not held for company', async ({ assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Backup' })
    const edge = await startEdge(10_000, { redisTimeoutMs: 10_000 })
    try {
      const start = performance.now()
      const answer = await timed(edge.url, `/ping/${token.uuid}`)
      assert.equal(answer.status, 200)
      assert.isBelow(answer.at - start, 1000)
    } finally {
      await edge.close()
    }
  })

  test('under load pings that come one at a time share a write; an idle ping, or many at once, do not wait', async ({
    assert,
  }) => {
    const lingerMs = 300
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Backup' })
    const edge = await startEdge(10_000, { redisTimeoutMs: 10_000, lingerMs })
    const url = `/ping/${token.uuid}`
    try {
      // Idle: the last write was long ago, so this one goes at once.
      const start = performance.now()
      const first = await timed(edge.url, url)
      assert.equal(first.status, 200)
      assert.isBelow(first.at - start, lingerMs / 2, 'an idle ping is not held')
      assert.equal(await redis.xlen(redisKeys.pings), 1)

      // Ten pings, each in its own event-loop turn, within the linger: one write.
      const spaced: Promise<{ status: number; at: number }>[] = []
      for (let i = 0; i < 10; i++) {
        spaced.push(timed(edge.url, url))
        await sleep(10)
      }
      const sentAt = performance.now()
      for (const answer of await Promise.all(spaced)) {
        assert.equal(answer.status, 200)
        assert.isBelow(answer.at - sentAt, lingerMs + 200, 'held no longer than the linger')
      }
      assert.equal(await redis.xlen(redisKeys.pings), 2, 'the ten pings share one stream entry')

      // Many at once (16 or more queued) end the linger: answered long before it is over.
      const burstAt = performance.now()
      const burst = await Promise.all(
        Array.from({ length: 20 }, (_, i) => acceptPing(edge.store, token.uuid, `burst ${i}`))
      )
      assert.deepEqual(burst, Array(20).fill('accepted'))
      assert.isBelow(performance.now() - burstAt, lingerMs / 2, 'a burst is not held')
      assert.lengthOf(await queuedPings(), 31)
    } finally {
      await edge.close()
    }
  })

  test(
    '{$self}: Redis silent for 1.5 × the timeout: the flush that waited it out gets 503, the pings behind it are sent and get 200'
  )
    .with([...REDIS_CLIENT_KINDS])
    .run(async ({ assert }, redisClient) => {
      const timeoutMs = 600
      const { edge, proxy, url, close } = await edgeBehindProxy(redisClient, timeoutMs)
      try {
        proxy.freeze()
        const start = performance.now()
        const first = timed(edge.url, url)
        await waitFor(
          'the first flush at Redis',
          async () => proxy.holding,
          (n) => n > 0
        )
        await sleep(timeoutMs * 0.6)
        // A second flush, sent while the first awaits Redis.
        const behind = [1, 2, 3].map(() => timed(edge.url, url))
        const failed = await first
        assert.equal(failed.status, 503)
        await waitFor(
          'the pings behind at Redis',
          async () => proxy.holding,
          (n) => n > 1
        )
        // Sent after the flush behind failed: queued behind it in flight.
        const later = [1, 2].map(() => timed(edge.url, url))
        await sleep(Math.max(0, start + timeoutMs * 1.5 - performance.now()))
        const thawedAt = performance.now()
        proxy.thaw()
        for (const answer of await Promise.all([...behind, ...later])) {
          assert.equal(answer.status, 200)
          assert.isAtLeast(answer.at, thawedAt, 'not refused early')
        }
      } finally {
        await close()
      }
    })
    .timeout(20_000)

  test(
    '{$self}: with Redis stalled for good, every ping gets 503 within its timeout of arriving, none hangs'
  )
    .with([...REDIS_CLIENT_KINDS])
    .run(async ({ assert }, redisClient) => {
      const timeoutMs = 300
      const { edge, proxy, url, close } = await edgeBehindProxy(redisClient, timeoutMs)
      try {
        proxy.freeze()
        // A ping every 50 ms for 3 × timeoutMs: some wait behind a flush in flight.
        const answers: Promise<{ status: number; waited: number }>[] = []
        for (let i = 0; i < 18; i++) {
          const start = performance.now()
          answers.push(
            timed(edge.url, url).then(({ status, at }) => ({ status, waited: at - start }))
          )
          await sleep(50)
        }
        // The builtin client counts a ping's wait from its arrival, queued
        // behind a flush included; ioredis from its sending: at most one
        // flush ahead of its own, two timeouts.
        const longest = redisClient === 'builtin' ? timeoutMs + 150 : timeoutMs * 2 + 250
        for (const { status, waited } of await Promise.all(answers)) {
          assert.equal(status, 503)
          assert.isBelow(waited, longest)
        }
        assert.isAbove(proxy.holding, 2, 'the pings behind a failed flush were sent')
        proxy.thaw()
        await waitFor(
          'the edge to answer 200 again',
          () => send(edge.url, url),
          (answer) => answer.status === 200,
          10_000
        )
      } finally {
        await close()
      }
    })
    .timeout(20_000)

  test('pings queued behind a flush that timed out on a busy Redis are sent and answered for themselves', async ({
    assert,
  }) => {
    // Replies come one byte every 5 ms: never silent, but 20 pings' reply
    // (85 bytes) takes longer than the busy timeout; one ping's (8 bytes) does not.
    const proxy = await drippingProxy(testRedisConfig().port, 5)
    const store = new RedisPingStore(
      { ...testRedisConfig(), port: proxy.port },
      100,
      'builtin',
      300
    )
    const accept = (i: number) =>
      acceptPing(store, UNKNOWN, `ping ${i}`).then(
        (result) => ({ outcome: result as string, at: performance.now() }),
        (error: Error) => ({ outcome: error.message, at: performance.now() })
      )
    try {
      assert.isTrue(await store.ready(5000))
      const flushed = Array.from({ length: 20 }, (_, i) => accept(i))
      await sleep(100)
      const queued = await accept(20)
      const first = await Promise.all(flushed)
      assert.deepEqual(
        first.map((answer) => answer.outcome),
        Array(20).fill('redis timeout')
      )
      assert.equal(queued.outcome, 'unknown')
      assert.isAbove(queued.at, first[0].at, 'sent after the failed flush')
    } finally {
      await store.close()
      await proxy.close()
    }
  }).timeout(20_000)
})

/**
 * A ping answered 503 because Redis was late is often stored all the same
 * (Redis ran the write after the edge stopped waiting). The client's retry
 * (`curl --retry`) is then answered 200 without being stored again.
 */
test.group('Ping edge: the retry of a ping Redis stored late', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  /** The queued pings' bodies, counted. */
  async function bodies() {
    const counts: Record<string, number> = {}
    for (const ping of await queuedPings()) {
      const body = ping.body?.toString() ?? ''
      counts[body] = (counts[body] ?? 0) + 1
    }
    return counts
  }

  /** A ping answered 503 while Redis stalls, then stored once Redis runs it. */
  async function storedLate(proxy: FaultProxy, post: () => Promise<Sent>, body: string) {
    proxy.freeze()
    const first = await post()
    proxy.thaw()
    await waitFor(
      'the late write in the stream',
      async () => {
        const counts = await bodies()
        return counts[body] ?? 0
      },
      (n) => n === 1
    )
    return first.status
  }

  test('the retry is answered 200 and stored once; the next ping alike, or one from another client, is stored', async ({
    assert,
  }) => {
    const { edge, proxy, url, close } = await edgeBehindProxy('builtin', 100)
    const post = (body: string, agent = 'curl/8.14.1') =>
      send(edge.url, url, { method: 'POST', body, headers: { 'user-agent': agent } })
    try {
      assert.equal(await storedLate(proxy, () => post('backup done'), 'backup done'), 503)
      const retry = await post('backup done')
      assert.deepEqual([retry.status, retry.text], [200, 'OK'])
      assert.equal(edge.answers.at(-1), 'ok_retry', 'counted apart in ngip_edge_pings_total')
      const afterRetry = await bodies()
      assert.equal(afterRetry['backup done'], 1, 'the retry was not stored again')
      const next = [
        await post('backup done'),
        await post('backup done', 'Wget/1.21'),
        await post('backup failed'),
      ]
      assert.deepEqual(
        next.map((sent) => sent.status),
        [200, 200, 200]
      )
      assert.deepEqual(edge.answers.slice(-3), ['ok', 'ok', 'ok'])
      assert.deepEqual(await bodies(), {
        '': 1,
        'backup done': 3,
        'backup failed': 1,
      })
    } finally {
      await close()
    }
  }).timeout(20_000)

  test('a retry that comes while Redis has not answered the first write yet waits for it, and is not stored again', async ({
    assert,
  }) => {
    // A retry waits for its twin as long as a ping waits for a silent Redis (300 ms).
    const { edge, proxy, url, close } = await edgeBehindProxy('builtin', 300)
    const post = () => send(edge.url, url, { method: 'POST', body: 'weekly' })
    try {
      proxy.freeze()
      const first = await post()
      assert.equal(first.status, 503)
      const retry = post()
      await sleep(100)
      proxy.thaw()
      const answer = await retry
      assert.deepEqual([answer.status, answer.text], [200, 'OK'])
      const counts = await bodies()
      assert.equal(counts['weekly'], 1)
    } finally {
      await close()
    }
  }).timeout(20_000)

  test('a retry whose first write was lost with the connection before Redis answered is stored', async ({
    assert,
  }) => {
    const { edge, proxy, url, close } = await edgeBehindProxy('builtin', 100)
    const post = () => send(edge.url, url, { method: 'POST', body: 'hourly' })
    try {
      proxy.freeze()
      const first = await post()
      assert.equal(first.status, 503)
      // The connection drops with the write still held back: Redis never runs it.
      await proxy.cut()
      await proxy.restore()
      proxy.thaw()
      await waitFor(
        'the edge connected again',
        () => statusOf(edge.url, '/health'),
        (status) => status === 200
      )
      const retry = await post()
      assert.deepEqual([retry.status, retry.text], [200, 'OK'])
      const counts = await bodies()
      assert.equal(counts['hourly'], 1, 'the retry was stored')
    } finally {
      await close()
    }
  }).timeout(20_000)

  test('a retry that comes after the memory ran out is stored', async ({ assert }) => {
    const { edge, proxy, url, close } = await edgeBehindProxy('builtin', 100)
    edge.store.late.memoryMs = 200
    const post = () => send(edge.url, url, { method: 'POST', body: 'nightly' })
    try {
      assert.equal(await storedLate(proxy, post, 'nightly'), 503)
      await sleep(300)
      const retry = await post()
      assert.equal(retry.status, 200)
      const counts = await bodies()
      assert.equal(counts['nightly'], 2)
    } finally {
      await close()
    }
  }).timeout(20_000)
})
