import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenQueries from '#services/tokens/token_queries'
import { makeToken, makeUser } from '#tests/helpers/factories'
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
        const list = await TokenQueries.list(user, { sort, cursor, limit: 2 })
        seen.push(...list.items.map((token) => token.id))
        cursor = list.meta.next_cursor ?? undefined
      } while (cursor)
      assert.lengthOf(seen, 5, sort)
      assert.lengthOf(new Set(seen), 5, sort)
    }
    const byName = await TokenQueries.list(user, { sort: 'name', limit: 10 })
    const names = byName.items.map((token) => token.name)
    assert.deepEqual(names, ['alpha', 'alpha', 'charlie', 'delta', 'echo'])
    assert.isBelow(byName.items[0].id, byName.items[1].id)
  })

  test('a cursor of another shape is refused, not a server error', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await client.get('/dashboard?sort=name&cursor=bm9wZQ').loginAs(user)
    assert.notEqual(response.status(), 500)
  })
})
