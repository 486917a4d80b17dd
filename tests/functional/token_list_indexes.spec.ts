import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Token from '#models/token'
import { ORDER_SQL } from '#services/tokens/token_queries'
import { makeToken, makeUser } from '#tests/helpers/factories'

/**
 * A Project's Token list in each order the dashboard and the API offer must
 * come from an index in that order, not from reading and sorting every Token
 * of the Project (at a million Tokens: 486 ms a page, migration 0083). The
 * plan is asked with sorting priced out, so only an index can avoid a Sort.
 */
test.group('Token lists: an index for each order of a Project', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('{$self} order of a Project reads an index, no Sort')
    .with(['name', 'last_ping'] as const)
    .run(async ({ assert }, sort) => {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'Backup' })
      await makeToken(user, { name: 'Nightly' })
      const list = Token.query()
        .where('project_id', token.projectId)
        .orderByRaw(ORDER_SQL[sort])
        .limit(101)
        .toQuery()
      await db.rawQuery('SET LOCAL enable_sort = off')
      await db.rawQuery('SET LOCAL enable_seqscan = off')
      const explained = await db.rawQuery(`EXPLAIN ${list}`)
      const plan = explained.rows
        .map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN'])
        .join('\n')
      assert.notMatch(plan, /Sort/, plan)
      assert.match(plan, /Index Scan( Backward)? using tokens_project_\w+ on tokens/, plan)
    })
})
