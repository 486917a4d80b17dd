import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A Token that went down inside a maintenance window keeps `alert_after` (the
 * window's end) so the late pass judges it again then; the partial index now
 * holds every row with a deadline. Down Tokens outside windows have none, so
 * the index stays as small as the set of Tokens that can still flip.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('DROP INDEX IF EXISTS tokens_alert_after_idx')
    this.schema.raw(
      'CREATE INDEX tokens_alert_after_idx ON tokens (alert_after) WHERE alert_after IS NOT NULL'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS tokens_alert_after_idx')
    this.schema.raw(
      "CREATE INDEX tokens_alert_after_idx ON tokens (alert_after) WHERE alert_after IS NOT NULL AND status <> 'down'"
    )
  }
}
