import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import TokenActivity from '#services/tokens/token_activity'
import TokenService from '#services/tokens/token_service'
import ProjectService from '#services/projects/project_service'
import { listedOf, makeToken, makeUser } from '#tests/helpers/factories'
import { PROJECT_TAGS_BACKFILL } from '../../../database/migrations/0081_create_project_tags_table.js'

async function tagCounts() {
  const result = await db.rawQuery(
    'SELECT project_id, tag, count FROM project_tags ORDER BY project_id, tag'
  )
  return result.rows as { project_id: number; tag: string; count: number }[]
}

/** What the triggers must keep: each Token's distinct tags, counted per Project. */
async function fromScratch() {
  const result = await db.rawQuery(
    `SELECT t.project_id, u.tag, count(*)::int AS count
     FROM tokens t CROSS JOIN LATERAL (SELECT DISTINCT unnest(t.tags) AS tag) u
     WHERE u.tag IS NOT NULL GROUP BY t.project_id, u.tag ORDER BY t.project_id, u.tag`
  )
  return result.rows
}

test.group('Dashboard tag list (project_tags)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('tags of created, retagged, untagged and deleted Tokens come and go for their Project', async ({
    assert,
  }) => {
    const alice = await makeUser()
    const bob = await makeUser()
    const backup = await makeToken(alice, { name: 'Backup', tags: ['nightly', 'db'] })
    await makeToken(bob, { name: 'Cron', tags: ['bobs'] })
    assert.deepEqual(await TokenActivity.tags(await listedOf(alice)), ['db', 'nightly'])
    assert.deepEqual(await TokenActivity.tags(await listedOf(bob)), ['bobs'])

    await TokenService.update(backup, { tags: ['weekly', 'db'] })
    assert.deepEqual(await TokenActivity.tags(await listedOf(alice)), ['db', 'weekly'])

    await TokenService.update(backup, { tags: [] })
    assert.deepEqual(await TokenActivity.tags(await listedOf(alice)), [])

    await TokenService.update(backup, { tags: ['db'] })
    assert.deepEqual(await TokenActivity.tags(await listedOf(alice)), ['db'])
    await TokenService.remove(backup)
    assert.deepEqual(await TokenActivity.tags(await listedOf(alice)), [])
    assert.deepEqual(await TokenActivity.tags(await listedOf(bob)), ['bobs'])
    assert.deepEqual(await tagCounts(), await fromScratch())
  })

  test('two Projects of one User keep their own tags', async ({ assert }) => {
    const alice = await makeUser()
    const home = (await listedOf(alice))!
    const team = await ProjectService.create(alice, 'Team')
    await makeToken(alice, { name: 'Home job', tags: ['home', 'db'] })
    await TokenService.create(alice, { name: 'Team job', tags: ['team', 'db'] }, team.id)
    assert.deepEqual(await TokenActivity.tags(home), ['db', 'home'])
    assert.deepEqual(await TokenActivity.tags(team.id), ['db', 'team'])
  })

  test('an admin sees every Project’s tags', async ({ assert }) => {
    const admin = await makeUser({ isAdmin: true })
    const alice = await makeUser()
    const bob = await makeUser()
    await makeToken(alice, { name: 'A', tags: ['tt-alpha', 'tt-shared'] })
    await makeToken(bob, { name: 'B', tags: ['tt-beta', 'tt-shared'] })
    const all = await TokenActivity.tags(await listedOf(admin))
    const seen = all.filter((tag) => tag.startsWith('tt-'))
    assert.deepEqual(seen, ['tt-alpha', 'tt-beta', 'tt-shared'])
  })

  test('a tag on two Tokens stays until both drop it', async ({ assert }) => {
    const user = await makeUser()
    const one = await makeToken(user, { name: 'One', tags: ['prod'] })
    const two = await makeToken(user, { name: 'Two', tags: ['prod', 'eu'] })
    await TokenService.update(one, { tags: ['staging'] })
    assert.deepEqual(await TokenActivity.tags(await listedOf(user)), ['eu', 'prod', 'staging'])
    await TokenService.remove(two)
    assert.deepEqual(await TokenActivity.tags(await listedOf(user)), ['staging'])
  })

  test('a Token moved to another Project takes its tags along', async ({ assert }) => {
    // The app moves no Token between Projects; a write around it still keeps the counts.
    const alice = await makeUser()
    const home = (await listedOf(alice))!
    const team = await ProjectService.create(alice, 'Team')
    const moving = await makeToken(alice, { name: 'Moving', tags: ['db', 'eu'] })
    await makeToken(alice, { name: 'Staying', tags: ['db'] })
    await db.rawQuery('UPDATE tokens SET project_id = ? WHERE id = ?', [team.id, moving.id])
    assert.deepEqual(await TokenActivity.tags(home), ['db'])
    assert.deepEqual(await TokenActivity.tags(team.id), ['db', 'eu'])
    assert.deepEqual(await tagCounts(), await fromScratch())
    // A change of User alone leaves the Project's counts as they were.
    const bob = await makeUser()
    await db.rawQuery('UPDATE tokens SET user_id = ? WHERE id = ?', [bob.id, moving.id])
    assert.deepEqual(await TokenActivity.tags(team.id), ['db', 'eu'])
    assert.deepEqual(await tagCounts(), await fromScratch())
  })

  test('deleting a Project deletes its tags, not those of others', async ({ assert }) => {
    const alice = await makeUser()
    const home = (await listedOf(alice))!
    const team = await ProjectService.create(alice, 'Team')
    await makeToken(alice, { name: 'Home job', tags: ['db'] })
    await TokenService.create(alice, { name: 'Team job', tags: ['db', 'team'] }, team.id)
    await ProjectService.remove(team)
    assert.deepEqual(await TokenActivity.tags(team.id), [])
    assert.deepEqual(await TokenActivity.tags(home), ['db'])
    assert.deepEqual(await tagCounts(), await fromScratch())
  })

  test('the migration’s backfill matches the tags on existing rows and the triggers’ counts', async ({
    assert,
  }) => {
    const alice = await makeUser()
    const bob = await makeUser()
    const home = (await listedOf(alice))!
    await makeToken(alice, { name: 'A1', tags: ['x', 'y'] })
    await makeToken(alice, { name: 'A2', tags: ['y', 'z'] })
    await makeToken(alice, { name: 'A3', tags: [] })
    await makeToken(bob, { name: 'B1', tags: ['y'] })
    // Rows written around the service (Project from the default trigger), duplicates in one array included.
    await db.rawQuery(
      `INSERT INTO tokens (uuid, user_id, name, tags, created_at)
       VALUES (gen_random_uuid(), ?, 'raw', ARRAY['z', 'z', 'w'], now())`,
      [bob.id]
    )
    const byTrigger = await tagCounts()
    await db.rawQuery('DELETE FROM project_tags')
    await db.rawQuery(PROJECT_TAGS_BACKFILL)
    const byBackfill = await tagCounts()
    assert.deepEqual(byBackfill, byTrigger)

    const expected = await db.rawQuery(
      'SELECT DISTINCT project_id, unnest(tags) AS tag FROM tokens ORDER BY project_id, tag'
    )
    assert.deepEqual(
      byBackfill.map(({ project_id: projectId, tag }) => ({ project_id: projectId, tag })),
      expected.rows
    )
    const counts = Object.fromEntries(
      byBackfill.filter((row) => row.project_id === home).map((row) => [row.tag, row.count])
    )
    assert.deepEqual(counts, { x: 1, y: 2, z: 1 })
  })

  test('statements writing many Tokens at once leave the counts the backfill would', async ({
    assert,
  }) => {
    const alice = await makeUser()
    const bob = await makeUser()
    const team = await ProjectService.create(alice, 'Team')
    // One INSERT of 600 Tokens over two Users and three Projects (two from the default
    // trigger), tags shared, repeated and empty.
    await db.rawQuery(
      `INSERT INTO tokens (uuid, user_id, project_id, name, tags, created_at)
       SELECT gen_random_uuid(), CASE WHEN n % 3 = 0 THEN ?::int ELSE ?::int END,
         CASE WHEN n % 3 = 1 THEN ?::int END, 'bulk ' || n,
         CASE n % 4 WHEN 0 THEN ARRAY['prod', 'db', 'prod'] WHEN 1 THEN ARRAY['prod']
           WHEN 2 THEN ARRAY[]::text[] ELSE ARRAY['eu', 'db'] END,
         now()
       FROM generate_series(1, 600) AS n`,
      [bob.id, alice.id, team.id]
    )
    const after = await tagCounts()
    assert.lengthOf(new Set(after.map((row) => row.project_id)), 3)
    assert.deepEqual(after, await fromScratch())
    // One UPDATE retagging some, moving some to another Project, leaving some as they were.
    await db.rawQuery(
      `UPDATE tokens SET
         tags = CASE WHEN id % 5 = 0 THEN ARRAY['weekly'] ELSE tags END,
         project_id = CASE WHEN id % 7 = 0 THEN ?::int ELSE project_id END
       WHERE name LIKE 'bulk %'`,
      [team.id]
    )
    assert.deepEqual(await tagCounts(), await fromScratch())
    // One DELETE of a third of them, then the cascade of a User's deletion.
    await db.rawQuery(`DELETE FROM tokens WHERE name LIKE 'bulk %' AND id % 3 = 1`)
    assert.deepEqual(await tagCounts(), await fromScratch())
    await db.rawQuery('DELETE FROM users WHERE id = ?', [bob.id])
    assert.deepEqual(await tagCounts(), await fromScratch())
    const left = await tagCounts()
    assert.isTrue(left.length > 0)
  })
})
