import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The dashboard's "Down first" order reads each status group from an index
 * in name order (TokenQueries), instead of ranking and sorting every Token:
 * by status then name, for a User's Tokens and for an admin's view of all.
 * Tokens in a run and Tokens in their grace are few; each group has a small
 * partial index to find them. token_grace_start is the moment a Token's grace
 * begins: an interval of seconds alone does not depend on the time zone, so
 * the function is immutable and can be indexed.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE FUNCTION token_grace_start(alert_after timestamptz, grace integer)
      RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT alert_after - grace * interval '1 second' $$`)
    this.schema.raw(
      'CREATE INDEX tokens_user_status_name_idx ON tokens (user_id, status, name, id)'
    )
    this.schema.raw('CREATE INDEX tokens_status_name_idx ON tokens (status, name, id)')
    this.schema.raw(
      'CREATE INDEX tokens_started_idx ON tokens (user_id) WHERE last_start_at IS NOT NULL'
    )
    this.schema.raw(`
      CREATE INDEX tokens_grace_start_idx ON tokens (token_grace_start(alert_after, grace))
      WHERE status = 'up' AND last_start_at IS NULL AND alert_after IS NOT NULL`)
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS tokens_grace_start_idx')
    this.schema.raw('DROP INDEX IF EXISTS tokens_started_idx')
    this.schema.raw('DROP INDEX IF EXISTS tokens_status_name_idx')
    this.schema.raw('DROP INDEX IF EXISTS tokens_user_status_name_idx')
    this.schema.raw('DROP FUNCTION IF EXISTS token_grace_start(timestamptz, integer)')
  }
}
