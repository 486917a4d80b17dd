import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The dashboard's tag filter reads its list from token_tags instead of
 * unnesting every Token's tags on each load. A trigger on tokens keeps the
 * table: one row per (user, tag) with the number of that user's Tokens
 * carrying the tag, removed when the count reaches zero. Being a trigger,
 * no write path can forget it.
 */
export const TOKEN_TAGS_BACKFILL = `
  INSERT INTO token_tags (user_id, tag, count)
  SELECT t.user_id, u.tag, count(*)
  FROM tokens t CROSS JOIN LATERAL (SELECT DISTINCT unnest(t.tags) AS tag) u
  WHERE u.tag IS NOT NULL
  GROUP BY t.user_id, u.tag`

export default class extends BaseSchema {
  async up() {
    // No Token written between the backfill's read and the trigger's start.
    this.schema.raw('LOCK TABLE tokens IN SHARE ROW EXCLUSIVE MODE')
    this.schema.raw(`
      CREATE TABLE token_tags (
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tag text NOT NULL,
        count integer NOT NULL CHECK (count > 0),
        PRIMARY KEY (user_id, tag)
      )`)
    this.schema.raw('CREATE INDEX token_tags_tag_idx ON token_tags (tag)')
    // Tags in a stable order, so two writers lock token_tags rows alike.
    this.schema.raw(`
      CREATE FUNCTION token_tags_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          -- Delete the last before decrementing the rest: each row is touched once.
          DELETE FROM token_tags tt
          USING (SELECT DISTINCT unnest(OLD.tags) AS tag ORDER BY 1) o
          WHERE tt.user_id = OLD.user_id AND tt.tag = o.tag AND tt.count = 1;
          UPDATE token_tags tt SET count = tt.count - 1
          FROM (SELECT DISTINCT unnest(OLD.tags) AS tag ORDER BY 1) o
          WHERE tt.user_id = OLD.user_id AND tt.tag = o.tag AND tt.count > 1;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO token_tags (user_id, tag, count)
          SELECT NEW.user_id, n.tag, 1
          FROM (SELECT DISTINCT unnest(NEW.tags) AS tag ORDER BY 1) n
          WHERE n.tag IS NOT NULL
          ON CONFLICT (user_id, tag) DO UPDATE SET count = token_tags.count + 1;
        END IF;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER token_tags_insert_delete AFTER INSERT OR DELETE ON tokens
      FOR EACH ROW EXECUTE FUNCTION token_tags_maintain()`)
    this.schema.raw(`
      CREATE TRIGGER token_tags_update AFTER UPDATE OF tags, user_id ON tokens
      FOR EACH ROW
      WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR OLD.user_id IS DISTINCT FROM NEW.user_id)
      EXECUTE FUNCTION token_tags_maintain()`)
    this.schema.raw(TOKEN_TAGS_BACKFILL)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_update ON tokens')
    this.schema.raw('DROP TRIGGER IF EXISTS token_tags_insert_delete ON tokens')
    this.schema.raw('DROP FUNCTION IF EXISTS token_tags_maintain()')
    this.schema.raw('DROP TABLE IF EXISTS token_tags')
  }
}
