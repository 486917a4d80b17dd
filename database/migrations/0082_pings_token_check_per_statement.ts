import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The foreign key pings.token_id → tokens checked every inserted Ping on its own (a
 * lookup and a KEY SHARE lock on the Token, row by row): about a third of the time
 * ingest's COPY took. Pings arrive in batches, so the same rule is now kept once a
 * statement, with transition tables:
 *
 * - after an insert into pings, every Token the new rows name is locked KEY SHARE
 *   (as the foreign key did, so a delete of one waits for this transaction) and a
 *   Token that does not exist fails the statement with SQLSTATE 23503, as before;
 * - after a delete of Tokens, their Pings go with them (the ON DELETE CASCADE), in
 *   one statement for all the deleted Tokens, and a TRUNCATE of tokens empties
 *   pings too (the foreign key made TRUNCATE tokens name pings or say CASCADE).
 *
 * Pings are never updated (a Ping's Token does not change), so no update trigger.
 */
export const PINGS_TOKEN_CHECK = `
  CREATE FUNCTION pings_token_check() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    wanted bigint;
    found bigint;
  BEGIN
    SELECT count(DISTINCT token_id) INTO wanted FROM added_pings;
    SELECT count(*) INTO found FROM (
      SELECT t.id FROM tokens t WHERE t.id IN (SELECT token_id FROM added_pings)
      ORDER BY t.id FOR KEY SHARE
    ) locked;
    IF found < wanted THEN
      RAISE foreign_key_violation USING
        MESSAGE = 'insert or update on table "pings" violates foreign key constraint "pings_token_id_foreign"',
        DETAIL = 'A Ping names a Token that does not exist.',
        CONSTRAINT = 'pings_token_id_foreign',
        TABLE = 'pings';
    END IF;
    RETURN NULL;
  END $$`

export const TOKENS_DELETE_PINGS = `
  CREATE FUNCTION tokens_delete_pings() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM pings WHERE token_id IN (SELECT id FROM removed_tokens);
    RETURN NULL;
  END $$`

export const TOKENS_TRUNCATE_PINGS = `
  CREATE FUNCTION tokens_truncate_pings() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- a DELETE: a TRUNCATE here fails when the same statement truncates pings too
    DELETE FROM pings;
    RETURN NULL;
  END $$`

export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE pings DROP CONSTRAINT IF EXISTS pings_token_id_foreign')
    this.schema.raw(PINGS_TOKEN_CHECK)
    this.schema.raw(`
      CREATE TRIGGER pings_token_check AFTER INSERT ON pings
      REFERENCING NEW TABLE AS added_pings
      FOR EACH STATEMENT EXECUTE FUNCTION pings_token_check()`)
    this.schema.raw(TOKENS_DELETE_PINGS)
    this.schema.raw(`
      CREATE TRIGGER tokens_delete_pings AFTER DELETE ON tokens
      REFERENCING OLD TABLE AS removed_tokens
      FOR EACH STATEMENT EXECUTE FUNCTION tokens_delete_pings()`)
    this.schema.raw(TOKENS_TRUNCATE_PINGS)
    this.schema.raw(`
      CREATE TRIGGER tokens_truncate_pings AFTER TRUNCATE ON tokens
      FOR EACH STATEMENT EXECUTE FUNCTION tokens_truncate_pings()`)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS tokens_truncate_pings ON tokens')
    this.schema.raw('DROP FUNCTION IF EXISTS tokens_truncate_pings()')
    this.schema.raw('DROP TRIGGER IF EXISTS tokens_delete_pings ON tokens')
    this.schema.raw('DROP FUNCTION IF EXISTS tokens_delete_pings()')
    this.schema.raw('DROP TRIGGER IF EXISTS pings_token_check ON pings')
    this.schema.raw('DROP FUNCTION IF EXISTS pings_token_check()')
    this.schema.raw(`
      ALTER TABLE pings ADD CONSTRAINT pings_token_id_foreign
      FOREIGN KEY (token_id) REFERENCES tokens (id) ON DELETE CASCADE`)
  }
}
