import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Each existing User gets a default Project ("<name>'s project", or "Default" without a
 * name), owns it, and their Tokens, Channels and API keys move into it. Exported for the
 * migration's test, which runs it on rows made before.
 */
export const PROJECTS_BACKFILL = `
  WITH made AS (
    INSERT INTO projects (uuid, name, owner_id, badge_key, created_at, updated_at)
    SELECT gen_random_uuid(),
           CASE WHEN coalesce(trim(u.full_name), '') = '' THEN 'Default'
                ELSE left(trim(u.full_name) || '''s project', 100) END,
           u.id, encode(gen_random_bytes(18), 'hex'), now(), now()
    FROM users u
    WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.user_id = u.id AND m.role = 'owner')
    RETURNING id, owner_id
  )
  INSERT INTO project_members (project_id, user_id, role, created_at)
  SELECT id, owner_id, 'owner', now() FROM made;
  UPDATE tokens t SET project_id = p.id FROM projects p
    WHERE t.project_id IS NULL AND p.owner_id = t.user_id;
  UPDATE channels c SET project_id = p.id FROM projects p
    WHERE c.project_id IS NULL AND p.owner_id = c.user_id;
  UPDATE api_keys k SET project_id = p.id FROM projects p
    WHERE k.project_id IS NULL AND p.owner_id = k.tokenable_id;`

/** A row written without a Project (auto-created Tokens, old code paths) lands in its User's first own. */
const DEFAULT_PROJECT_FN = `
  CREATE OR REPLACE FUNCTION ngip_default_project() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.project_id IS NULL THEN
      NEW.project_id := (SELECT m.project_id FROM project_members m
        WHERE m.user_id = (to_jsonb(NEW) ->> TG_ARGV[0])::int AND m.role = 'owner'
        ORDER BY m.project_id LIMIT 1);
    END IF;
    RETURN NEW;
  END $$`

const OWNED = [
  ['tokens', 'user_id'],
  ['channels', 'user_id'],
  ['api_keys', 'tokenable_id'],
] as const

export default class extends BaseSchema {
  async up() {
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto')
    this.schema.createTable('projects', (table) => {
      table.increments('id')
      table.uuid('uuid').notNullable().unique()
      table.string('name', 100).notNullable()
      table.integer('owner_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('badge_key', 64).notNullable().unique()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['owner_id'])
    })
    this.schema.createTable('project_members', (table) => {
      table
        .integer('project_id')
        .notNullable()
        .references('id')
        .inTable('projects')
        .onDelete('CASCADE')
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('role', 16).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.primary(['project_id', 'user_id'])
      table.index(['user_id'])
    })
    this.schema.raw(
      `ALTER TABLE project_members ADD CONSTRAINT project_members_role_check
       CHECK (role IN ('owner', 'manager', 'read-only'))`
    )
    this.schema.createTable('project_invites', (table) => {
      table.increments('id')
      table
        .integer('project_id')
        .notNullable()
        .references('id')
        .inTable('projects')
        .onDelete('CASCADE')
      table.string('email', 254).notNullable()
      table.string('role', 16).notNullable()
      table.string('code_hash', 64).notNullable().unique()
      table.integer('invited_by').nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
    })
    for (const [table] of OWNED) {
      this.schema.alterTable(table, (t) => {
        t.integer('project_id').nullable().references('id').inTable('projects').onDelete('CASCADE')
        t.index(['project_id'])
      })
    }
    this.schema.raw(PROJECTS_BACKFILL)
    this.schema.raw(DEFAULT_PROJECT_FN)
    for (const [table, owner] of OWNED) {
      this.schema.raw(
        `CREATE TRIGGER ${table}_default_project BEFORE INSERT ON ${table}
         FOR EACH ROW EXECUTE FUNCTION ngip_default_project('${owner}')`
      )
    }
  }

  async down() {
    for (const [table] of OWNED) {
      this.schema.raw(`DROP TRIGGER IF EXISTS ${table}_default_project ON ${table}`)
      this.schema.alterTable(table, (t) => t.dropColumn('project_id'))
    }
    this.schema.raw('DROP FUNCTION IF EXISTS ngip_default_project()')
    this.schema.dropTable('project_invites')
    this.schema.dropTable('project_members')
    this.schema.dropTable('projects')
  }
}
