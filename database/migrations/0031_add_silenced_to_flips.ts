import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Why a Flip notified nobody: `maintenance` (inside a window) or `dependency`
 * (a Token it depends on was down). Set by the Flip dispatcher.
 */
export default class extends BaseSchema {
  protected tableName = 'flips'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('silenced', 16).nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('silenced')
    })
  }
}
