import { BaseSchema } from '@adonisjs/lucid/schema'
import {
  TOKEN_TAGS_BACKFILL,
  TOKEN_TAGS_TABLE,
  tagsRowFunction,
  tagsUpdateTrigger,
} from './0023_create_token_tags_table.js'
import {
  tagsStatementFunction,
  tagsStatementTriggers,
  tokenTagsStatementSql,
} from './0034_token_tags_statement_triggers.js'

/**
 * The dashboard lists the tags of one Project, so the maintained list is kept per
 * Project: project_tags (project_id, tag, count) replaces token_tags (user_id, tag,
 * count), with the same triggers — statement triggers with transition tables for
 * inserts and deletes, one net change per (project, tag), rows locked in
 * (project_id, tag) order (0034: no quadratic updates, no deadlocks), and 0023's row
 * trigger for updates of tags or project_id. A Token changing its User (handed over
 * when a member goes) stays in its Project and leaves the counts alone. Deleting a
 * Project deletes its rows by the foreign key.
 */
export const PROJECT_TAGS_BACKFILL = `
  INSERT INTO project_tags (project_id, tag, count)
  SELECT t.project_id, u.tag, count(*)
  FROM tokens t CROSS JOIN LATERAL (SELECT DISTINCT unnest(t.tags) AS tag) u
  WHERE u.tag IS NOT NULL AND t.project_id IS NOT NULL
  GROUP BY t.project_id, u.tag`

const TOKEN_TAGS_DROP = [
  'DROP TRIGGER IF EXISTS token_tags_delete ON tokens',
  'DROP TRIGGER IF EXISTS token_tags_insert ON tokens',
  'DROP TRIGGER IF EXISTS token_tags_update ON tokens',
  'DROP FUNCTION IF EXISTS token_tags_deleted()',
  'DROP FUNCTION IF EXISTS token_tags_inserted()',
  'DROP FUNCTION IF EXISTS token_tags_maintain()',
  'DROP TABLE IF EXISTS token_tags',
]

const PROJECT_TAGS_DROP = [
  'DROP TRIGGER IF EXISTS project_tags_delete ON tokens',
  'DROP TRIGGER IF EXISTS project_tags_insert ON tokens',
  'DROP TRIGGER IF EXISTS project_tags_update ON tokens',
  'DROP FUNCTION IF EXISTS project_tags_deleted()',
  'DROP FUNCTION IF EXISTS project_tags_inserted()',
  'DROP FUNCTION IF EXISTS project_tags_maintain()',
  'DROP TABLE IF EXISTS project_tags',
]

export default class extends BaseSchema {
  async up() {
    // No Token written between the backfill's read and the triggers' start.
    this.schema.raw('LOCK TABLE tokens IN SHARE ROW EXCLUSIVE MODE')
    TOKEN_TAGS_DROP.forEach((sql) => this.schema.raw(sql))
    this.schema.raw(`
      CREATE TABLE project_tags (
        project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        tag text NOT NULL,
        count integer NOT NULL CHECK (count > 0),
        PRIMARY KEY (project_id, tag)
      )`)
    // The all-Projects list (an admin's) reads tags in order.
    this.schema.raw('CREATE INDEX project_tags_tag_idx ON project_tags (tag)')
    this.schema.raw(tagsRowFunction('project_tags_maintain', 'project_tags', 'project_id'))
    this.schema.raw(tagsUpdateTrigger('project_tags_update', 'project_tags_maintain', 'project_id'))
    const table = ['project_tags', 'project_id'] as const
    this.schema.raw(tagsStatementFunction('project_tags_inserted', ...table, 'added_rows', null))
    this.schema.raw(tagsStatementFunction('project_tags_deleted', ...table, null, 'removed_rows'))
    tagsStatementTriggers('project_tags').forEach((sql) => this.schema.raw(sql))
    this.schema.raw(PROJECT_TAGS_BACKFILL)
  }

  async down() {
    this.schema.raw('LOCK TABLE tokens IN SHARE ROW EXCLUSIVE MODE')
    PROJECT_TAGS_DROP.forEach((sql) => this.schema.raw(sql))
    this.schema.raw(TOKEN_TAGS_TABLE)
    this.schema.raw('CREATE INDEX token_tags_tag_idx ON token_tags (tag)')
    this.schema.raw(tagsRowFunction('token_tags_maintain', 'token_tags', 'user_id'))
    this.schema.raw(tagsUpdateTrigger('token_tags_update', 'token_tags_maintain', 'user_id'))
    tokenTagsStatementSql().forEach((sql) => this.schema.raw(sql))
    this.schema.raw(TOKEN_TAGS_BACKFILL)
  }
}
