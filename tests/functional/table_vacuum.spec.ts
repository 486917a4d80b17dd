import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { TableVacuum } from '#services/ingest/table_vacuum'
import { makeToken, makeUser } from '#tests/helpers/factories'

/** The table's counts as the statistics say now (this session's counts flushed first). */
async function counts(table = 'tokens') {
  await db.rawQuery('SELECT pg_stat_force_next_flush()')
  await db.rawQuery('SELECT pg_stat_clear_snapshot()')
  const result = await db.rawQuery(
    `SELECT n_dead_tup AS dead, vacuum_count AS vacuums FROM pg_stat_user_tables
     WHERE relid = ?::regclass`,
    [table]
  )
  return { dead: Number(result.rows[0].dead), vacuums: Number(result.rows[0].vacuums) }
}

/** Leaves `times` dead versions of the Token's row, as ingest's updates do. */
async function churn(tokenId: number, times: number) {
  for (let i = 0; i < times; i++) {
    await db.rawQuery(
      'UPDATE tokens SET n_pings = n_pings + 1, last_ping_at = now() WHERE id = ?',
      [tokenId]
    )
  }
}

// Not in a global transaction: VACUUM cannot run inside one.
test.group('Table vacuum: the worker keeps the tables it churns from bloating', () => {
  test('dead versions past the threshold are vacuumed; below it, or soon after, not', async ({
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    try {
      const strict = new TableVacuum('tokens', { minDead: 1_000_000, deadPerLive: 0, quietMs: 0 })
      await churn(token.id, 60)
      const below = await strict.check()
      assert.isFalse(below.vacuumed, 'below minDead')

      const before = await counts()
      assert.isAtLeast(before.dead, 60)
      const vacuum = new TableVacuum('tokens', { minDead: 50, deadPerLive: 0, quietMs: 0 })
      const checked = await vacuum.check()
      assert.isTrue(checked.vacuumed)
      const after = await counts()
      assert.equal(after.vacuums, before.vacuums + 1)
      assert.isBelow(after.dead, before.dead)

      // Just vacuumed: a check that wants a quiet minute waits for it.
      await churn(token.id, 60)
      const again = await counts()
      assert.isAtLeast(again.dead, 60)
      const patient = new TableVacuum('tokens', { minDead: 50, deadPerLive: 0, quietMs: 60_000 })
      const soon = await patient.check()
      assert.isFalse(soon.vacuumed)
    } finally {
      await user.delete()
    }
  })

  test('pruned Pings are dead versions too: the pings table is vacuumed the same way', async ({
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    try {
      await db.rawQuery(
        `INSERT INTO pings (token_id, kind, created_at) SELECT ?, 'success', now() FROM generate_series(1, 80)`,
        [token.id]
      )
      await db.from('pings').where('token_id', token.id).delete()
      const before = await counts('pings')
      assert.isAtLeast(before.dead, 80)
      const vacuum = new TableVacuum('pings', { minDead: 50, deadPerLive: 0, quietMs: 0 })
      const checked = await vacuum.check()
      assert.isTrue(checked.vacuumed)
      const after = await counts('pings')
      assert.equal(after.vacuums, before.vacuums + 1)
    } finally {
      await user.delete()
    }
  })
})
