import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'flips'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('token_id')
        .notNullable()
        .unsigned()
        .references('id')
        .inTable('tokens')
        .onDelete('CASCADE')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.string('old_status', 10).notNullable()
      table.string('new_status', 10).notNullable()
      table.string('reason', 32).notNullable().defaultTo('')
      table.index(['token_id', 'created_at'])
      table.index(['created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
