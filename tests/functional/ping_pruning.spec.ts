import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { PingPruner, type PruneTarget } from '#services/tokens/ping_pruner'
import { sweepPings } from '#services/tokens/ping_sweep'
import { makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

const LIMIT = 10

/** A pruner that tells which Tokens it pruned. */
class WatchedPruner extends PingPruner {
  pruned: number[] = []

  async pruneMany(tokens: PruneTarget[]) {
    this.pruned.push(...tokens.map((token) => token.id))
    return super.pruneMany(tokens)
  }
}

/** `count` Tokens of one User, none with Pings. */
async function makeTokens(count: number): Promise<number[]> {
  const user = await makeUser()
  const result = await db.rawQuery(
    `INSERT INTO tokens (uuid, user_id, name, created_at, updated_at)
     SELECT gen_random_uuid(), ?, 'Pruned ' || n, now(), now() FROM generate_series(1, ?) n
     RETURNING id`,
    [user.id, count]
  )
  return result.rows
    .map((row: { id: string }) => Number(row.id))
    .sort((a: number, b: number) => a - b)
}

/** `count` more Pings for each Token, counted in n_pings as ingest does. */
async function addPings(tokenIds: number[], count: number) {
  await db.rawQuery(
    `INSERT INTO pings (token_id, kind, created_at)
     SELECT t.id, 'success', now() FROM unnest(?::bigint[]) t(id), generate_series(1, ?)`,
    [tokenIds, count]
  )
  await db.rawQuery('UPDATE tokens SET n_pings = n_pings + ? WHERE id = ANY(?::bigint[])', [
    count,
    tokenIds,
  ])
}

async function pingsHeld(tokenIds: number[]) {
  const rows = await db.rawQuery(
    `SELECT t.id, count(p.id)::int AS n FROM unnest(?::bigint[]) t(id)
     LEFT JOIN pings p ON p.token_id = t.id GROUP BY t.id ORDER BY t.id`,
    [tokenIds]
  )
  return rows.rows.map((row: { n: number }) => row.n)
}

test.group('Ping pruning: the sweep visits only Tokens with Pings since their pruning', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a second sweep with nothing new visits no Token', async ({ assert }) => {
    const tokens = await makeTokens(30)
    await addPings(tokens, LIMIT + 20)
    const first = new WatchedPruner(LIMIT, { chunkSize: 7, groupSize: 4 })
    assert.deepEqual(await first.sweep(), { visited: 30, deleted: 30 * 20 })
    assert.deepEqual(first.pruned, tokens)
    assert.deepEqual(
      await pingsHeld(tokens),
      tokens.map(() => LIMIT)
    )

    const second = new WatchedPruner(LIMIT)
    assert.deepEqual(await second.sweep(), { visited: 0, deleted: 0 })
    assert.deepEqual(second.pruned, [])
  })

  test('new Pings past the limit make just those Tokens due; retention holds', async ({
    assert,
  }) => {
    const tokens = await makeTokens(20)
    await addPings(tokens, LIMIT + 5)
    await new PingPruner(LIMIT).sweep()
    const busy = [tokens[2], tokens[7], tokens[19]]
    await addPings(busy, 3)
    // Tokens that got Pings but stay within the limit are not pruned either.
    const quiet = await makeTokens(5)
    await addPings(quiet, LIMIT)
    const pruner = new WatchedPruner(LIMIT)
    const swept = await pruner.sweep()
    assert.deepEqual(pruner.pruned, busy)
    assert.deepEqual(swept, { visited: 3, deleted: 9 })
    assert.deepEqual(
      await pingsHeld([...tokens, ...quiet]),
      [...tokens, ...quiet].map(() => LIMIT)
    )
  })

  test('the worker’s pruning leaves its mark: the sweep skips what it pruned', async ({
    assert,
  }) => {
    const tokens = await makeTokens(6)
    await addPings(tokens, LIMIT * 3)
    const worker = new PingPruner(LIMIT)
    worker.note(tokens.map((id) => ({ id, nPings: LIMIT * 3 })))
    assert.equal(await worker.run(), 6 * LIMIT * 2)
    const sweeper = new WatchedPruner(LIMIT)
    assert.deepEqual(await sweeper.sweep(), { visited: 0, deleted: 0 })
  })

  test('the worker writes its marks together, later: until then the sweep visits', async ({
    assert,
  }) => {
    const tokens = await makeTokens(4)
    await addPings(tokens, LIMIT * 2)
    const worker = new PingPruner(LIMIT, { markEveryMs: 60_000 })
    worker.note(tokens.map((id) => ({ id, nPings: LIMIT * 2 })))
    assert.equal(await worker.run(), 4 * LIMIT)
    assert.equal(worker.unmarked, 4)
    const marks = await db.from('tokens').whereIn('id', tokens).max('n_pings_pruned as n')
    assert.equal(Number(marks[0].n), 0)
    await worker.flushMarks()
    assert.equal(worker.unmarked, 0)
    assert.deepEqual(await new WatchedPruner(LIMIT).sweep(), { visited: 0, deleted: 0 })
  })

  test('a Token is pruned again after at least 10 more Pings (or its limit, when smaller)', ({
    assert,
  }) => {
    assert.equal(new PingPruner(20).slack, 10)
    assert.equal(new PingPruner(5).slack, 5)
    assert.equal(new PingPruner(1000).slack, 100)
    assert.equal(new PingPruner(100_000).slack, 100)
    const pruner = new PingPruner(20)
    pruner.note([{ id: 1, nPings: 21 }])
    assert.equal(pruner.pending, 1)
  })

  test('Pings counted after a pruning read its Token keep the Token due', async ({ assert }) => {
    const [token] = await makeTokens(1)
    await addPings([token], LIMIT + 4)
    // the pruning read n_pings before the last 4 Pings came in
    await new PingPruner(LIMIT).pruneMany([{ id: token, nPings: LIMIT }])
    const sweeper = new WatchedPruner(LIMIT)
    const swept = await sweeper.sweep()
    assert.deepEqual(sweeper.pruned, [token])
    assert.equal(swept.visited, 1)
    assert.deepEqual(await pingsHeld([token]), [LIMIT])
  })

  test('a lowered PING_LOG_LIMIT makes one sweep visit every Token past it', async ({ assert }) => {
    const tokens = await makeTokens(4)
    await addPings(tokens, LIMIT + 2)
    assert.containSubset(await sweepPings(LIMIT), { full: true, visited: 4 })
    assert.containSubset(await sweepPings(LIMIT), { full: false, visited: 0 })
    assert.containSubset(await sweepPings(LIMIT - 3), { full: true, visited: 4, deleted: 12 })
    assert.deepEqual(
      await pingsHeld(tokens),
      tokens.map(() => LIMIT - 3)
    )
    assert.containSubset(await sweepPings(LIMIT), { full: false, visited: 0 })
  })
})
