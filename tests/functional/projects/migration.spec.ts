import { randomBytes, randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { PROJECTS_BACKFILL } from '../../../database/migrations/0080_create_projects_table.js'

/** A User row as an installation before Projects has it: no Project, no membership. */
async function oldUser(fullName: string | null) {
  const [row] = await db
    .table('users')
    .insert({
      email: `old-${randomBytes(4).toString('hex')}@example.com`,
      password: 'x',
      full_name: fullName,
      is_admin: false,
      is_disabled: false,
      ping_key: randomBytes(11).toString('hex'),
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
  return row.id as number
}

/** Tokens, Channels and API keys written before the migration: no project_id. */
async function oldRows(userId: number, n: number) {
  for (let i = 0; i < n; i++) {
    await db.table('tokens').insert({
      uuid: randomUUID(),
      user_id: userId,
      name: `job ${i}`,
      created_at: new Date(),
      updated_at: new Date(),
    })
  }
  await db.table('channels').insert({
    id: randomUUID(),
    user_id: userId,
    kind: 'webhook',
    name: 'Ops',
    config: JSON.stringify({ url: 'https://hooks.example.com/x' }),
    created_at: new Date(),
    updated_at: new Date(),
  })
  await db.table('api_keys').insert({
    tokenable_id: userId,
    type: 'api_key',
    name: 'old key',
    hash: randomBytes(16).toString('hex'),
    abilities: '["read","write"]',
    created_at: new Date(),
    updated_at: new Date(),
  })
}

async function counted(table: string, column: string, id: number) {
  const [row] = await db.from(table).where(column, id).whereNull('project_id').count('* as n')
  return row.n
}

test.group('Migration 0080: every User gets a default Project, their rows move in', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('rows made before the migration all land in their User’s own Project', async ({
    assert,
  }) => {
    const ada = await oldUser('Ada')
    const nameless = await oldUser(null)
    await oldRows(ada, 3)
    await oldRows(nameless, 2)
    assert.equal(Number(await counted('tokens', 'user_id', ada)), 3)

    await db.rawQuery(PROJECTS_BACKFILL)
    await db.rawQuery(PROJECTS_BACKFILL)

    for (const [user, name, tokens] of [
      [ada, "Ada's project", 3],
      [nameless, 'Default', 2],
    ] as const) {
      const projects = await db.from('projects').where('owner_id', user)
      assert.lengthOf(projects, 1, 'one default Project, even when run twice')
      const [project] = projects
      assert.equal(project.name, name)
      assert.match(project.badge_key, /^[0-9a-f]{36}$/)
      const members = await db.from('project_members').where('project_id', project.id)
      assert.deepEqual(
        members.map((m) => [m.user_id, m.role]),
        [[user, 'owner']]
      )
      for (const [table, column, n] of [
        ['tokens', 'user_id', tokens],
        ['channels', 'user_id', 1],
        ['api_keys', 'tokenable_id', 1],
      ] as const) {
        const rows = await db.from(table).where(column, user).select('project_id')
        assert.lengthOf(rows, n, `${table} kept`)
        assert.isTrue(
          rows.every((row) => row.project_id === project.id),
          `${table} moved`
        )
      }
    }
  })
})
