import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('password').notNullable()
      table.string('full_name', 100).nullable()
      table.boolean('is_admin').notNullable().defaultTo(false)
      table.boolean('is_disabled').notNullable().defaultTo(false)
      /**
       * Per-user key of the slug ping form: /ping/<ping_key>/<slug>.
       */
      table.string('ping_key', 32).notNullable().unique()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
