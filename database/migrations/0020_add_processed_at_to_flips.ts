import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Flips are the outbox of notifications: the worker picks those not yet
 * processed, queues one notification per Channel and marks them.
 */
export default class extends BaseSchema {
  protected tableName = 'flips'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.timestamp('processed_at', { useTz: true }).nullable()
    })
    this.schema.raw('CREATE INDEX flips_unprocessed_idx ON flips (id) WHERE processed_at IS NULL')
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS flips_unprocessed_idx')
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('processed_at')
    })
  }
}
