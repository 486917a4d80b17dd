import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A Ping body (bytes) as text when it is valid UTF-8, NULL otherwise, so
 * pages of Pings can be made as JSON by PostgreSQL itself; the few bodies
 * that are not UTF-8 are decoded by the app instead. STRICT: NULL bodies
 * never run it.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION ngip_body_text(body bytea) RETURNS text
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
      BEGIN
        RETURN convert_from(body, 'UTF8');
      EXCEPTION WHEN OTHERS THEN
        RETURN NULL;
      END
      $$`)
  }

  async down() {
    this.schema.raw('DROP FUNCTION IF EXISTS ngip_body_text(bytea)')
  }
}
