import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenQueries from '#services/tokens/token_queries'
import db from '@adonisjs/lucid/services/db'
import { STATUS_RANK } from '#models/token_state'
import { accessOf, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('Dashboard orders', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('each order pages through every Token once, equal names in id order', async ({ assert }) => {
    const user = await makeUser()
    for (const name of ['echo', 'alpha', 'delta', 'alpha', 'charlie']) {
      await makeToken(user, { name })
    }
    for (const sort of ['name', 'status', 'last_ping', 'newest'] as const) {
      const seen: number[] = []
      let cursor: string | undefined
      do {
        const list = await TokenQueries.list(await accessOf(user), { sort, cursor, limit: 2 })
        seen.push(...list.items.map((token) => token.id))
        cursor = list.meta.next_cursor ?? undefined
      } while (cursor)
      assert.lengthOf(seen, 5, sort)
      assert.lengthOf(new Set(seen), 5, sort)
    }
    const byName = await TokenQueries.list(await accessOf(user), { sort: 'name', limit: 10 })
    const names = byName.items.map((token) => token.name)
    assert.deepEqual(names, ['alpha', 'alpha', 'charlie', 'delta', 'echo'])
    assert.isBelow(byName.items[0].id, byName.items[1].id)
  })

  test('"Down first" read group by group pages exactly as ranking every Token would', async ({
    assert,
  }) => {
    const user = await makeUser()
    const admin = await makeUser({ isAdmin: true })
    // every shown status, several of each, names repeating across statuses
    await db.rawQuery(
      `INSERT INTO tokens (uuid, user_id, name, status, grace, alert_after, last_start_at,
         created_at, updated_at)
       SELECT gen_random_uuid(), CASE WHEN n % 7 = 0 THEN ?::int ELSE ?::int END, 'job ' || (n % 5),
         (ARRAY['down', 'up', 'up', 'up', 'up', 'new', 'new', 'paused', 'warning'])[1 + n % 9], 600,
         CASE WHEN n % 8 = 1 THEN now() + interval '5 minutes'
              WHEN n % 8 = 2 THEN now() + interval '1 hour'
              WHEN n % 8 = 3 THEN NULL
              ELSE now() + interval '2 hours' END,
         CASE WHEN n % 8 IN (4, 6) THEN now() - interval '1 minute' END,
         now(), now()
       FROM generate_series(1, 90) AS n`,
      [admin.id, user.id]
    )
    for (const viewer of [user, admin]) {
      const ranked = await db.rawQuery(
        `SELECT id FROM tokens ${viewer.isAdmin ? '' : 'WHERE user_id = ?'}
         ORDER BY ${STATUS_RANK}, name, id`,
        viewer.isAdmin ? [] : [viewer.id]
      )
      const expected = ranked.rows.map((row: { id: string }) => Number(row.id))
      const seen: number[] = []
      let cursor: string | undefined
      do {
        const list = await TokenQueries.list(await accessOf(viewer), {
          sort: 'status',
          cursor,
          limit: 7,
        })
        seen.push(...list.items.map((token) => token.id))
        cursor = list.meta.next_cursor ?? undefined
      } while (cursor)
      assert.deepEqual(seen, expected)
    }
  })

  test('a cursor of another shape is refused, not a server error', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await client.get('/dashboard?sort=name&cursor=bm9wZQ').loginAs(user)
    assert.notEqual(response.status(), 500)
  })
})
