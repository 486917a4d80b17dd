import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The dashboard's tag filter reads its list from token_tags instead of
 * unnesting every Token's tags on each load. A trigger on tokens keeps the
 * table: one row per (user, tag) with the number of that user's Tokens
 * carrying the tag, removed when the count reaches zero. Being a trigger,
 * no write path can forget it.
 *
 * The SQL is exported: 0081 builds project_tags (kept per Project) with the
 * same function and restores token_tags with it on the way down.
 */
export const TOKEN_TAGS_BACKFILL = `
  INSERT INTO token_tags (user_id, tag, count)
  SELECT t.user_id, u.tag, count(*)
  FROM tokens t CROSS JOIN LATERAL (SELECT DISTINCT unnest(t.tags) AS tag) u
  WHERE u.tag IS NOT NULL
  GROUP BY t.user_id, u.tag`

export const TOKEN_TAGS_TABLE = `
  CREATE TABLE token_tags (
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag text NOT NULL,
    count integer NOT NULL CHECK (count > 0),
    PRIMARY KEY (user_id, tag)
  )`

/**
 * A row trigger's function keeping `table` (key, tag, count) from a Token's old and
 * new tags; `key` is the column of tokens the counts are kept per. Tags in a stable
 * order, so two writers lock the table's rows alike; a Token without a key counts nowhere.
 */
export function tagsRowFunction(name: string, table: string, key: string) {
  return `
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- Delete the last before decrementing the rest: each row is touched once.
        DELETE FROM ${table} tt
        USING (SELECT DISTINCT unnest(OLD.tags) AS tag ORDER BY 1) o
        WHERE tt.${key} = OLD.${key} AND tt.tag = o.tag AND tt.count = 1;
        UPDATE ${table} tt SET count = tt.count - 1
        FROM (SELECT DISTINCT unnest(OLD.tags) AS tag ORDER BY 1) o
        WHERE tt.${key} = OLD.${key} AND tt.tag = o.tag AND tt.count > 1;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ${table} (${key}, tag, count)
        SELECT NEW.${key}, n.tag, 1
        FROM (SELECT DISTINCT unnest(NEW.tags) AS tag ORDER BY 1) n
        WHERE n.tag IS NOT NULL AND NEW.${key} IS NOT NULL
        ON CONFLICT (${key}, tag) DO UPDATE SET count = ${table}.count + 1;
      END IF;
      RETURN NULL;
    END $$`
}

/** The row trigger for updates, fired only when the tags or the key changed. */
export function tagsUpdateTrigger(name: string, fn: string, key: string) {
  return `
    CREATE TRIGGER ${name} AFTER UPDATE OF tags, ${key} ON tokens
    FOR EACH ROW
    WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR OLD.${key} IS DISTINCT FROM NEW.${key})
    EXECUTE FUNCTION ${fn}()`
}

export default class extends BaseSchema {
  async up() {
    // No Token written between the backfill's read and the trigger's start.
    this.schema.raw('LOCK TABLE tokens IN SHARE ROW EXCLUSIVE MODE')
    this.schema.raw(TOKEN_TAGS_TABLE)
    this.schema.raw('CREATE INDEX token_tags_tag_idx ON token_tags (tag)')
    this.schema.raw(tagsRowFunction('token_tags_maintain', 'token_tags', 'user_id'))
    this.schema.raw(`
      CREATE TRIGGER token_tags_insert_delete AFTER INSERT OR DELETE ON tokens
      FOR EACH ROW EXECUTE FUNCTION token_tags_maintain()`)
    this.schema.raw(tagsUpdateTrigger('token_tags_update', 'token_tags_maintain', 'user_id'))
    this.schema.raw(TOKEN_TAGS_BACKFILL)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_update ON tokens')
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_insert_delete ON tokens')
    this.schema.raw('DROP FUNCTION IF EXISTS token_tags_maintain()')
    this.schema.raw('DROP TABLE IF EXISTS token_tags')
  }
}
