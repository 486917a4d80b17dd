import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import Token from '#models/token'
import Ping from '#models/ping'
import Flip from '#models/flip'
import Channel from '#models/channel'
import User from '#models/user'
import TokenService from '#services/tokens/token_service'
import { redisKeys, slugField } from '#lib/redis_keys'
import { autoTokenUuid } from '#lib/uuid'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { send, statusOf, textOf } from '#tests/helpers/ping'
import { waitFor } from '#tests/helpers/worker_process'
import { PingPruner } from '#services/tokens/ping_pruner'

const RID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'

async function pingsOf(token: Token) {
  return Ping.query().where('token_id', token.id).orderBy('id')
}

test.group('Ping ingest: what the worker stores', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a runitor-style run: start and end paired by rid give its duration', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}/start?rid=${RID}`), 200)
      await new Promise((resolve) => setTimeout(resolve, 30))
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}/0?rid=${RID}`), 200)
      await drain(await makeIngest())
      const [start, end] = await pingsOf(token)
      assert.containSubset(start.serialize(), { kind: 'start', rid: RID, exitStatus: null })
      assert.containSubset(end.serialize(), { kind: 'success', rid: RID, exitStatus: 0 })
      assert.isAtLeast(end.durationMs!, 30)
      await token.refresh()
      assert.equal(token.status, 'up')
      assert.equal(token.lastDurationMs, end.durationMs)
      assert.isNull(token.lastStartAt)
    } finally {
      await edge.close()
    }
  })

  test('an empty rid is ignored: the ping is stored without one', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}/start?rid=`), 200)
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}/0?rid=`), 200)
      await drain(await makeIngest())
      const pings = await pingsOf(token)
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.rid]),
        [
          ['start', null],
          ['success', null],
        ]
      )
      assert.isNotNull(pings[1].durationMs)
    } finally {
      await edge.close()
    }
  })

  test('an exit status is stored; 1..255 sets the Token down with a Flip', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      await send(edge.url, `/ping/${token.uuid}`)
      await send(edge.url, `/${token.uuid}/3`, { method: 'POST', body: 'disk full' })
      await send(edge.url, `/ping/${token.uuid}/log`)
      await drain(await makeIngest())
      const pings = await pingsOf(token)
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.exitStatus]),
        [
          ['success', null],
          ['fail', 3],
          ['log', null],
        ]
      )
      assert.equal(pings[1].body!.toString(), 'disk full')
      await token.refresh()
      assert.equal(token.status, 'down')
      assert.equal(token.nPings, 3)
      const flips = await Flip.query().where('token_id', token.id).orderBy('id')
      assert.deepEqual(
        flips.map((flip) => [flip.oldStatus, flip.newStatus]),
        [
          ['new', 'up'],
          ['up', 'down'],
        ]
      )
    } finally {
      await edge.close()
    }
  })

  test('a paused Token with manual resume stores pings as ign', async ({ assert }) => {
    const token = await makeToken(await makeUser(), { manual_resume: true })
    await TokenService.pause(token)
    const edge = await startEdge()
    try {
      await send(edge.url, `/ping/${token.uuid}`)
      await drain(await makeIngest())
      const [ping] = await pingsOf(token)
      assert.equal(ping.kind, 'ign')
      await token.refresh()
      assert.equal(token.status, 'paused')
    } finally {
      await edge.close()
    }
  })

  test('?create=1 answers 201 once, then 200, and the worker creates the Token', async ({
    assert,
  }) => {
    const user = await makeUser()
    const channel = await Channel.create({
      userId: user.id,
      kind: 'webhook',
      name: 'hook',
      config: {},
    })
    const edge = await startEdge()
    try {
      const first = await send(edge.url, `/ping/${user.pingKey}/db-dump?create=1`)
      assert.deepEqual([first.status, first.text], [201, 'Created'])
      const again = await send(edge.url, `/ping/${user.pingKey}/db-dump/start?create=1`)
      assert.deepEqual([again.status, again.text], [200, 'OK'])
      await drain(await makeIngest())
      const token = await Token.query().where('slug', 'db-dump').firstOrFail()
      assert.containSubset(token.serialize(), { userId: user.id, name: 'db-dump', nPings: 2 })
      assert.equal(token.uuid, autoTokenUuid(user.pingKey, 'db-dump'))
      const attached = await db.from('token_channels').where('token_id', token.id)
      assert.deepEqual(
        attached.map((row) => row.channel_id),
        [channel.id]
      )
      assert.lengthOf(await pingsOf(token), 2)
    } finally {
      await edge.close()
    }
  })

  test('?create=1 for a slug that Redis forgot pings the existing Token', async ({ assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { slug: 'nightly' })
    await redis.del(redisKeys.slugs)
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/nightly?create=1`), 201)
      await drain(await makeIngest())
      assert.lengthOf(await pingsOf(token), 1)
      assert.lengthOf(await Token.query().where('user_id', user.id), 1)
      assert.equal(
        await redis.hget(redisKeys.slugs, slugField(user.pingKey, 'nightly')),
        token.uuid
      )
      const stray = autoTokenUuid(user.pingKey, 'nightly')
      assert.equal(await redis.sismember(redisKeys.tokens, stray), 0)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/nightly`), 200)
    } finally {
      await edge.close()
    }
  })

  test('a slug change moves the route; a deleted Token answers 404', async ({ assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { slug: 'old-name' })
    const edge = await startEdge()
    try {
      await TokenService.update(token, { slug: 'new-name' })
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/old-name`), 404)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/new-name`), 200)
      await TokenService.remove(token)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/new-name`), 404)
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`), 404)
    } finally {
      await edge.close()
    }
  })

  test('past the rate limit: 200 "OK (rate limited)" by UUID, 429 by slug, nothing queued', async ({
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { slug: 'busy' })
    const edge = await startEdge(10_000, { rateLimit: 2 })
    try {
      const answers = []
      for (const path of [`/ping/${token.uuid}`, `/${token.uuid}/fail`, `/ping/${token.uuid}`]) {
        answers.push(await textOf(edge.url, path))
      }
      assert.deepEqual(answers, ['OK', 'OK', 'OK (rate limited)'])
      const bySlug = await send(edge.url, `/ping/${user.pingKey}/busy`)
      assert.deepEqual([bySlug.status, bySlug.text], [429, 'rate limited'])
      assert.equal(await drain(await makeIngest()), 2)
    } finally {
      await edge.close()
    }
  })

  test('each Token keeps its last ping_log_limit Pings', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      for (let i = 0; i < 12; i++) {
        await send(edge.url, `/ping/${token.uuid}`, { method: 'POST', body: `run ${i}` })
      }
      const ingest = await makeIngest('pruning-worker', { pingLogLimit: 5 })
      await drain(ingest)
      // the worker prunes a Token once it holds `slack` more than the limit...
      const stored = await pingsOf(token)
      const held = stored.map((ping) => ping.body!.toString())
      assert.isBelow(held.length, 5 + ingest.pruner.slack)
      assert.deepEqual(held.slice(-5), ['run 7', 'run 8', 'run 9', 'run 10', 'run 11'])
      // ...and the scheduler's sweep takes it down to the limit
      await new PingPruner(5).sweep()
      const kept = await pingsOf(token)
      assert.deepEqual(
        kept.map((ping) => ping.body!.toString()),
        ['run 7', 'run 8', 'run 9', 'run 10', 'run 11']
      )
      await token.refresh()
      assert.equal(token.nPings, 12)
    } finally {
      await edge.close()
    }
  })

  test('the worker loop writes its pruning marks once the stream goes quiet', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      for (let i = 0; i < 12; i++) {
        await send(edge.url, `/ping/${token.uuid}`)
      }
      const ingest = await makeIngest('marking-worker', {
        pingLogLimit: 5,
        pruneMarkEveryMs: 60_000,
      })
      const loop = ingest.run()
      await waitFor(
        'pruned and marked',
        async () => {
          await token.refresh()
          const held = await pingsOf(token)
          return token.nPings === 12 && held.length < 12 && ingest.pruner.unmarked === 0
        },
        (done) => done,
        10_000
      )
      ingest.stop()
      await loop
      const [row] = await db.from('tokens').where('id', token.id).select('n_pings_pruned')
      assert.isAbove(Number(row.n_pings_pruned), 5)
    } finally {
      await edge.close()
    }
  })

  test('pings of one loop turn share a stream entry and are stored one by one', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      const ping = (action: 'start' | 'log' | 'success') =>
        edge.store.accept(
          { kind: 'uuid', uuid: token.uuid },
          {
            action,
            at: Date.now(),
            method: 'GET',
            remoteAddr: '',
            userAgent: '',
            exitStatus: null,
            rid: null,
            body: null,
          },
          { rateLimit: 0 }
        )
      assert.deepEqual(await Promise.all([ping('start'), ping('log'), ping('success')]), [
        'accepted',
        'accepted',
        'accepted',
      ])
      assert.equal(await redis.xlen(redisKeys.pings), 1)
      await drain(await makeIngest())
      const pings = await pingsOf(token)
      assert.deepEqual(
        pings.map((stored) => stored.kind),
        ['start', 'log', 'success']
      )
      const [entryId] = pings.map((stored) => stored.streamId!)
      assert.deepEqual(
        pings.map((stored) => stored.streamId),
        [entryId, `${entryId}.1`, `${entryId}.2`]
      )
      assert.isNotNull(pings[2].durationMs)
    } finally {
      await edge.close()
    }
  })

  test('a ping PostgreSQL refuses goes to the dead letters; the others are stored', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    // Stands for any row PostgreSQL refuses on its data, which no retry cures.
    await db.rawQuery(`
      CREATE FUNCTION pg_temp.refuse_poison() RETURNS trigger AS $$
      BEGIN
        IF NEW.user_agent = 'poison' THEN
          RAISE EXCEPTION 'refused' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON pings
        FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_poison();`)
    const edge = await startEdge()
    try {
      for (const agent of ['curl', 'poison', 'wget']) {
        await send(edge.url, `/ping/${token.uuid}`, { headers: { 'user-agent': agent } })
      }
      await drain(await makeIngest())
      const stored = await pingsOf(token)
      assert.deepEqual(
        stored.map((ping) => ping.userAgent),
        ['curl', 'wget']
      )
      const dead = await redis.xrange(redisKeys.deadPings, '-', '+')
      assert.lengthOf(dead, 1)
      assert.include(JSON.parse(dead[0][1][3]), { userAgent: 'poison', token: token.uuid })
      assert.include(dead[0][1][5], 'refused')
      assert.equal(await redis.xlen(redisKeys.pings), 0)
    } finally {
      await edge.close()
    }
  }).timeout(20_000)
})

/**
 * Whether a statement on another connection waits for a row lock.
 */
async function someoneWaitsOnLock() {
  const result = await db.rawQuery(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock'`
  )
  return result.rows[0].n > 0
}

async function pendingEntries() {
  const summary = (await redis.xpending(redisKeys.pings, redisKeys.ingestGroup)) as [number]
  return Number(summary[0])
}

/** What another connection sees: committed rows only. */
async function committed(token: Token) {
  const [pings] = await db.from('pings').where('token_id', token.id).count('* as n')
  const row = await db.from('tokens').where('id', token.id).select('status', 'n_pings').first()
  return { pings: Number(pings.n), status: row.status, nPings: Number(row.n_pings) }
}

test.group('Ping ingest: the contract with real commits', (group) => {
  let user: User
  group.each.setup(async () => {
    await flushRedis()
    user = await makeUser()
    return async () => {
      await User.query().where('id', user.id).delete()
    }
  })

  test('a batch is acknowledged only after its transaction commits', async ({
    assert,
    cleanup,
  }) => {
    const token = await makeToken(user, { name: 'Committed' })
    const edge = await startEdge()
    cleanup(() => edge.close())
    for (const path of [
      `/ping/${token.uuid}/start`,
      `/ping/${token.uuid}`,
      `/ping/${token.uuid}`,
    ]) {
      assert.equal(await statusOf(edge.url, path), 200)
    }
    const ingest = await makeIngest('commit-test')

    // Another transaction holds the Token's row: the batch's transaction waits for it.
    const holder = await db.transaction()
    cleanup(async () => {
      if (!holder.isCompleted) {
        await holder.rollback()
      }
    })
    await holder.from('tokens').where('id', token.id).forUpdate().first()
    let ended = false
    const running = ingest.runOnce().finally(() => (ended = true))
    await waitFor(
      'the batch to wait for the Token row',
      async () => ended || (await someoneWaitsOnLock()),
      Boolean
    )
    assert.isFalse(ended, 'the batch was stored past a row another transaction holds')
    assert.equal(await pendingEntries(), 3, 'read and not yet acknowledged')
    assert.deepEqual(await committed(token), { pings: 0, status: 'new', nPings: 0 })

    await holder.commit()
    await running
    assert.equal(await pendingEntries(), 0)
    assert.deepEqual(await committed(token), { pings: 3, status: 'up', nPings: 3 })
  })

  test('a batch committed but never acknowledged (its worker died) is not stored twice', async ({
    assert,
    cleanup,
  }) => {
    const token = await makeToken(user, { name: 'Redelivered' })
    const edge = await startEdge()
    cleanup(() => edge.close())
    for (let i = 0; i < 5; i++) {
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`), 200)
    }
    assert.equal(await statusOf(edge.url, `/ping/${token.uuid}/fail`), 200)

    // The first worker stores and commits its batch, then dies before the acknowledgement.
    const dying = await makeIngest('dies-before-ack', { claimIdleMs: 50 })
    const batch = await dying.reader.read(true)
    assert.lengthOf(batch.entries, 6)
    await dying.storeWithRetry(batch.entries, batch.claimed)
    assert.equal(await pendingEntries(), 6)
    await new Promise((resolve) => setTimeout(resolve, 100))

    // The next worker claims the entries and must find them stored.
    await drain(await makeIngest('takes-over', { claimIdleMs: 50 }))
    assert.equal(await pendingEntries(), 0)
    assert.deepEqual(await committed(token), { pings: 6, status: 'down', nPings: 6 })
    const flips = await Flip.query().where('token_id', token.id).orderBy('id')
    assert.deepEqual(
      flips.map((flip) => [flip.oldStatus, flip.newStatus]),
      [
        ['new', 'up'],
        ['up', 'down'],
      ]
    )
  })
})
