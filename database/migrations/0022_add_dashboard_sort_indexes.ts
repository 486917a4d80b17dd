import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A User's dashboard sorted by name or by last ping reads its first page
 * from an index instead of sorting all their Tokens.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('CREATE INDEX tokens_user_name_idx ON tokens (user_id, name, id)')
    this.schema.raw(
      'CREATE INDEX tokens_user_last_ping_idx ON tokens (user_id, last_ping_at DESC NULLS LAST, id DESC)'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS tokens_user_last_ping_idx')
    this.schema.raw('DROP INDEX IF EXISTS tokens_user_name_idx')
  }
}
