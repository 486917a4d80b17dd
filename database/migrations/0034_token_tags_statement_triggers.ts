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

/** The net change per (user, tag) of a statement, from `added` and `removed` row sets. */
const changes = (added: string | null, removed: string | null) => {
  const parts = [
    added &&
      `SELECT a.user_id, t.tag, 1 AS delta FROM ${added} a
       CROSS JOIN LATERAL (SELECT DISTINCT unnest(a.tags) AS tag) t`,
    removed &&
      `SELECT r.user_id, t.tag, -1 AS delta FROM ${removed} r
       CROSS JOIN LATERAL (SELECT DISTINCT unnest(r.tags) AS tag) t`,
  ].filter(Boolean)
  return `(SELECT user_id, tag, sum(delta)::int AS delta
     FROM (${parts.join(' UNION ALL ')}) c
     WHERE tag IS NOT NULL
     GROUP BY user_id, tag
     HAVING sum(delta) <> 0)`
}

function applyFunction(name: string, added: string | null, removed: string | null) {
  const c = changes(added, removed)
  return `
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM token_tags tt JOIN ${c} c ON tt.user_id = c.user_id AND tt.tag = c.tag
      ORDER BY tt.user_id, tt.tag FOR UPDATE OF tt;
      DELETE FROM token_tags tt USING ${c} c
      WHERE tt.user_id = c.user_id AND tt.tag = c.tag AND tt.count + c.delta <= 0;
      UPDATE token_tags tt SET count = tt.count + c.delta FROM ${c} c
      WHERE tt.user_id = c.user_id AND tt.tag = c.tag;
      -- New (user, tag) rows; one another writer made meanwhile gets this delta added.
      INSERT INTO token_tags (user_id, tag, count)
      SELECT c.user_id, c.tag, c.delta FROM ${c} c
      WHERE c.delta > 0
        AND NOT EXISTS (SELECT 1 FROM token_tags tt WHERE tt.user_id = c.user_id AND tt.tag = c.tag)
      ORDER BY c.user_id, c.tag
      ON CONFLICT (user_id, tag) DO UPDATE SET count = token_tags.count + EXCLUDED.count;
      RETURN NULL;
    END $$`
}

export default class extends BaseSchema {
  async up() {
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_insert_delete ON tokens')
    this.schema.raw(applyFunction('token_tags_inserted', 'added_rows', null))
    this.schema.raw(applyFunction('token_tags_deleted', null, 'removed_rows'))
    this.schema.raw(`
      CREATE TRIGGER token_tags_insert AFTER INSERT ON tokens
      REFERENCING NEW TABLE AS added_rows
      FOR EACH STATEMENT EXECUTE FUNCTION token_tags_inserted()`)
    this.schema.raw(`
      CREATE TRIGGER token_tags_delete AFTER DELETE ON tokens
      REFERENCING OLD TABLE AS removed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION token_tags_deleted()`)
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
