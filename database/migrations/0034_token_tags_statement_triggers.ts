import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * token_tags kept per statement for inserts and deletes. The row triggers of
 * 0023 add or subtract one per Token, so a statement writing many Tokens of one
 * User with one tag updated the same token_tags row once per Token: inside one
 * transaction each update leaves a version the next must step over, and a
 * 900,000-row insert (or deleting a User with as many tagged Tokens: the
 * cascade) grew quadratic. Statement triggers read the statement's transition
 * tables and apply one net change per (user, tag). Rows are locked in
 * (user_id, tag) order, as before, so two writers of the same tags wait
 * instead of deadlocking.
 *
 * Updates keep 0023's row trigger: PostgreSQL refuses transition tables on a
 * trigger limited to some columns, and one on every UPDATE would capture each
 * Ping batch's Token updates, which never touch tags. The app retags one Token
 * at a time.
 */

/**
 * The net change per (key, tag) of a statement, from `added` and `removed` row sets;
 * `key` is the column of tokens the counts are kept per (rows without one count nowhere).
 */
const changes = (key: string, added: string | null, removed: string | null) => {
  const parts = [
    added &&
      `SELECT a.${key} AS key, t.tag, 1 AS delta FROM ${added} a
       CROSS JOIN LATERAL (SELECT DISTINCT unnest(a.tags) AS tag) t`,
    removed &&
      `SELECT r.${key} AS key, t.tag, -1 AS delta FROM ${removed} r
       CROSS JOIN LATERAL (SELECT DISTINCT unnest(r.tags) AS tag) t`,
  ].filter(Boolean)
  return `(SELECT key, tag, sum(delta)::int AS delta
     FROM (${parts.join(' UNION ALL ')}) c
     WHERE tag IS NOT NULL AND key IS NOT NULL
     GROUP BY key, tag
     HAVING sum(delta) <> 0)`
}

/**
 * A statement trigger's function applying the net change to `table` (key, tag, count).
 * Exported: 0081 keeps project_tags with it and restores token_tags with it going down.
 */
export function tagsStatementFunction(
  name: string,
  table: string,
  key: string,
  added: string | null,
  removed: string | null
) {
  const c = changes(key, added, removed)
  return `
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM ${table} tt JOIN ${c} c ON tt.${key} = c.key AND tt.tag = c.tag
      ORDER BY tt.${key}, tt.tag FOR UPDATE OF tt;
      DELETE FROM ${table} tt USING ${c} c
      WHERE tt.${key} = c.key AND tt.tag = c.tag AND tt.count + c.delta <= 0;
      UPDATE ${table} tt SET count = tt.count + c.delta FROM ${c} c
      WHERE tt.${key} = c.key AND tt.tag = c.tag;
      -- New (key, tag) rows; one another writer made meanwhile gets this delta added.
      INSERT INTO ${table} (${key}, tag, count)
      SELECT c.key, c.tag, c.delta FROM ${c} c
      WHERE c.delta > 0
        AND NOT EXISTS (SELECT 1 FROM ${table} tt WHERE tt.${key} = c.key AND tt.tag = c.tag)
      ORDER BY c.key, c.tag
      ON CONFLICT (${key}, tag) DO UPDATE SET count = ${table}.count + EXCLUDED.count;
      RETURN NULL;
    END $$`
}

/** The two statement triggers on tokens, calling `<prefix>_inserted()` and `<prefix>_deleted()`. */
export function tagsStatementTriggers(prefix: string) {
  return [
    `CREATE TRIGGER ${prefix}_insert AFTER INSERT ON tokens
     REFERENCING NEW TABLE AS added_rows
     FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_inserted()`,
    `CREATE TRIGGER ${prefix}_delete AFTER DELETE ON tokens
     REFERENCING OLD TABLE AS removed_rows
     FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_deleted()`,
  ]
}

/** 0034's functions and triggers for token_tags (per User). */
export function tokenTagsStatementSql() {
  return [
    tagsStatementFunction('token_tags_inserted', 'token_tags', 'user_id', 'added_rows', null),
    tagsStatementFunction('token_tags_deleted', 'token_tags', 'user_id', null, 'removed_rows'),
    ...tagsStatementTriggers('token_tags'),
  ]
}

export default class extends BaseSchema {
  async up() {
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_insert_delete ON tokens')
    for (const sql of tokenTagsStatementSql()) {
      this.schema.raw(sql)
    }
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_delete ON tokens')
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_insert ON tokens')
    this.schema.raw('DROP FUNCTION IF EXISTS token_tags_deleted()')
    this.schema.raw('DROP FUNCTION IF EXISTS token_tags_inserted()')
    this.schema.raw(`
      CREATE TRIGGER token_tags_insert_delete AFTER INSERT OR DELETE ON tokens
      FOR EACH ROW EXECUTE FUNCTION token_tags_maintain()`)
  }
}
