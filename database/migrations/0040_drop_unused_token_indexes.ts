import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Every late-detection flip writes a new version of the Token row (status and
 * alert_after are indexed, so the update cannot be HOT), and each full index
 * on `tokens` takes one more entry for it. Two of them serve no query:
 * - tokens_tags_index was meant as GIN (0003) but was made a btree over the
 *   whole array, which neither the tag filter (`? = ANY(tags)`) nor the tag
 *   lists (token_tags, 0023) can use;
 * - tokens_user_id_created_at_index: no query filters or orders Tokens by
 *   created_at, and the indexes led by user_id (name, last ping, status
 *   order) serve a User's lookups and the users foreign key.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('DROP INDEX IF EXISTS tokens_tags_index')
    this.schema.raw('DROP INDEX IF EXISTS tokens_user_id_created_at_index')
  }

  async down() {
    this.schema.raw(
      'CREATE INDEX IF NOT EXISTS tokens_user_id_created_at_index ON tokens (user_id, created_at)'
    )
    this.schema.raw('CREATE INDEX IF NOT EXISTS tokens_tags_index ON tokens (tags)')
  }
}
