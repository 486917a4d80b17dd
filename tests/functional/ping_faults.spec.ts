import { test } from '@japa/runner'
import { hostname } from 'node:os'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import type Token from '#models/token'
import type User from '#models/user'
import { redisKeys } from '#lib/redis_keys'
import { pingQueueDepth } from '#services/operations/queue_depth_metric'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis, testRedisConfig } from '#tests/helpers/redis'
import { RedisPingStore } from '#ping/redis_store'
import { freePort, startEdge } from '#tests/helpers/edge'
import { queuedPings, send, statusOf } from '#tests/helpers/ping'
import { FaultProxy } from '#tests/helpers/fault_proxy'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'

/**
 * What SPEC §4 promises under faults, with real processes: no global
 * transaction here, the workers are children that commit for real.
 */
async function acceptPings(token: Token, count: number, from = 0) {
  // The edge's store, patient here: this test is about the worker, on a busy machine.
  const store = new RedisPingStore(testRedisConfig(), 10_000)
  await store.ready()
  try {
    let accepted = 0
    for (let start = 0; start < count; start += 1000) {
      const results = await Promise.all(
        Array.from({ length: Math.min(1000, count - start) }, (_, i) =>
          store.accept(
            { kind: 'uuid', uuid: token.uuid },
            {
              action: 'success',
              at: Date.now(),
              method: 'POST',
              remoteAddr: '127.0.0.1',
              userAgent: 'fault-test',
              exitStatus: null,
              rid: null,
              body: Buffer.from(`ping ${from + start + i}`),
            },
            { rateLimit: 0 }
          )
        )
      )
      accepted += results.filter((result) => result === 'accepted').length
    }
    return accepted
  } finally {
    await store.close()
  }
}

async function storedCounts(token: Token) {
  const [row] = await db
    .from('pings')
    .where('token_id', token.id)
    .select(db.raw('count(*)::int AS total'), db.raw('count(DISTINCT stream_id)::int AS distinct'))
  const tokenRow = await db.from('tokens').where('id', token.id).select('n_pings').first()
  return { total: row.total, distinct: row.distinct, nPings: Number(tokenRow.n_pings) }
}

async function groupConsumers() {
  const replies = (await redis.xinfo('CONSUMERS', redisKeys.pings, redisKeys.ingestGroup)) as [
    string,
    string,
  ][]
  return replies.map((reply) => reply[1])
}

async function streamLeft() {
  const pending = (await redis.xpending(redisKeys.pings, redisKeys.ingestGroup)) as [number]
  return { length: await redis.xlen(redisKeys.pings), pending: Number(pending[0]) }
}

test.group('Ping path under faults', (group) => {
  let user: User
  let token: Token
  group.each.setup(async () => {
    await flushRedis()
    user = await makeUser()
    token = await makeToken(user, { name: 'Fault test' })
    return () => user.delete()
  })

  test('a worker killed with SIGKILL mid-batch loses nothing and stores nothing twice', async ({
    assert,
  }) => {
    const total = 30_000
    assert.equal(await acceptPings(token, total), total)
    const first = spawnWorker({ INGEST_BATCH_SIZE: '200' })
    try {
      await first.ready
      await waitFor(
        'the first Pings',
        () => storedCounts(token),
        (counts) => counts.total > 0
      )
      first.child.kill('SIGKILL')
      await first.exited
      const before = await storedCounts(token)
      assert.isBelow(before.total, total, 'killed before the end of the stream')

      const second = spawnWorker({ INGEST_CLAIM_IDLE_MS: '300' })
      try {
        await second.ready
        await waitFor(
          'every Ping',
          () => storedCounts(token),
          (counts) => counts.total >= total
        )
        await waitFor('an empty stream', streamLeft, (left) => left.length + left.pending === 0)
        assert.deepEqual(await storedCounts(token), { total, distinct: total, nPings: total })
        // the killed worker leaves the group once nothing of it is left to claim
        const names = await waitFor('the dead consumer gone', groupConsumers, (n) => n.length === 1)
        assert.deepEqual(names, [`${hostname()}-${second.child.pid}`])
        assert.equal(await pingQueueDepth(), 0)
        second.child.kill('SIGTERM')
        assert.equal(await second.exited, 0)
      } finally {
        await second.kill()
      }
    } finally {
      await first.kill()
    }
  }).timeout(90_000)

  test('small mode: the all-in-one app process drains on SIGTERM, loses nothing to SIGKILL, stores each Ping once', async ({
    assert,
  }) => {
    const total = 20_000
    assert.equal(await acceptPings(token, total), total)
    const spawnApp = async (overrides: Record<string, string>) =>
      spawnWorker(overrides, 'all-in-one', await freePort())

    const first = await spawnApp({ INGEST_BATCH_SIZE: '200' })
    try {
      await first.ready
      await waitFor(
        'the first Pings',
        () => storedCounts(token),
        (counts) => counts.total > 0
      )
      first.child.kill('SIGTERM')
      assert.equal(await first.exited, 0, first.output())
      assert.match(first.output(), /worker: stopped/)
      const drained = await storedCounts(token)
      assert.isBelow(drained.total, total, 'stopped before the end of the stream')
      assert.equal(drained.distinct, drained.total)
      // The batch in hand was committed and acknowledged: nothing of it is left pending.
      const left = await streamLeft()
      assert.equal(left.pending, 0)
    } finally {
      await first.kill()
    }

    const second = await spawnApp({ INGEST_BATCH_SIZE: '200' })
    let third: Awaited<ReturnType<typeof spawnApp>> | undefined
    try {
      await second.ready
      const before = await storedCounts(token)
      await waitFor(
        'more Pings',
        () => storedCounts(token),
        (counts) => counts.total > before.total
      )
      second.child.kill('SIGKILL')
      await second.exited

      third = await spawnApp({ INGEST_CLAIM_IDLE_MS: '300' })
      await third.ready
      await waitFor(
        'every Ping',
        () => storedCounts(token),
        (counts) => counts.total >= total
      )
      await waitFor('an empty stream', streamLeft, (left) => left.length + left.pending === 0)
      assert.deepEqual(await storedCounts(token), { total, distinct: total, nPings: total })
      third.child.kill('SIGTERM')
      assert.equal(await third.exited, 0, third.output())
    } finally {
      await third?.kill()
      await second.kill()
    }
  }).timeout(150_000)

  test('PostgreSQL down for seconds: the worker waits, retries, acknowledges nothing early', async ({
    assert,
  }) => {
    const proxy = await FaultProxy.start(env.get('DB_PORT', 5432))
    const worker = spawnWorker({ DB_PORT: String(proxy.port), INGEST_BATCH_SIZE: '100' })
    try {
      await worker.ready
      assert.equal(await acceptPings(token, 1000), 1000)
      await waitFor(
        'the first Pings',
        () => storedCounts(token),
        (counts) => counts.total > 0
      )
      await proxy.cut()
      assert.equal(await acceptPings(token, 1000, 1000), 1000)
      const during = await storedCounts(token)
      await new Promise((resolve) => setTimeout(resolve, 3000))
      assert.deepEqual(await storedCounts(token), during, 'nothing reaches a database that is down')
      const left = await queuedPings()
      assert.lengthOf(left, 2000 - during.total, 'what was not stored is still on the stream')

      await proxy.restore()
      await waitFor(
        'every Ping',
        () => storedCounts(token),
        (counts) => counts.total >= 2000
      )
      await waitFor('an empty stream', streamLeft, (rest) => rest.length + rest.pending === 0)
      assert.deepEqual(await storedCounts(token), { total: 2000, distinct: 2000, nPings: 2000 })
      worker.child.kill('SIGTERM')
      assert.equal(await worker.exited, 0)
    } finally {
      await worker.kill()
      await proxy.close()
    }
  }).timeout(90_000)

  test('Redis down: the edge answers 503 at once, never hangs, and recovers by itself', async ({
    assert,
  }) => {
    const proxy = await FaultProxy.start(env.get('REDIS_PORT', 6379))
    const edge = await startEdge(10_000, { redisPort: proxy.port })
    const url = `/ping/${token.uuid}`
    try {
      assert.equal(await statusOf(edge.url, url), 200)
      await proxy.cut()
      const down = await send(edge.url, url)
      assert.deepEqual([down.status, down.text], [503, 'service unavailable, retry'])
      assert.equal(await statusOf(edge.url, '/health'), 503)

      await proxy.restore()
      await waitFor(
        'the edge to recover',
        () => send(edge.url, url),
        (r) => r.status === 200,
        10_000
      )

      // A Redis that stalls without closing: answered by the command timeout.
      proxy.freeze()
      assert.equal(await statusOf(edge.url, url), 503)
      proxy.thaw()
      await waitFor(
        'the edge to recover',
        () => send(edge.url, url),
        (r) => r.status === 200,
        10_000
      )
    } finally {
      await edge.close()
      await proxy.close()
    }
  }).timeout(30_000)

  test('the worker prunes each Token to its last PING_LOG_LIMIT Pings beside ingest', async ({
    assert,
  }) => {
    const worker = spawnWorker({ PING_LOG_LIMIT: '50', INGEST_BATCH_SIZE: '100' })
    try {
      await worker.ready
      assert.equal(await acceptPings(token, 500), 500)
      await waitFor('an empty stream', streamLeft, (left) => left.length + left.pending === 0)
      const counts = await waitFor(
        'the pruning',
        () => storedCounts(token),
        (seen) => seen.total === 50
      )
      assert.equal(counts.nPings, 500)
      const kept = await db.from('pings').where('token_id', token.id).select('body').orderBy('id')
      assert.equal(kept[0].body.toString(), 'ping 450')
      worker.child.kill('SIGTERM')
      assert.equal(await worker.exited, 0)
    } finally {
      await worker.kill()
    }
  }).timeout(60_000)

  test('the last batch before a quiet stream is pruned too', async ({ assert }) => {
    // queued before the worker starts, so it takes them all in one batch
    assert.equal(await acceptPings(token, 200), 200)
    const worker = spawnWorker({ PING_LOG_LIMIT: '50', INGEST_BATCH_SIZE: '1000' })
    try {
      await worker.ready
      const counts = await waitFor(
        'the pruning',
        () => storedCounts(token),
        (seen) => seen.total === 50
      )
      assert.equal(counts.nPings, 200)
    } finally {
      await worker.kill()
    }
  }).timeout(60_000)
})
