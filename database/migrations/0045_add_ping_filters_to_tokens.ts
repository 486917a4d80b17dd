import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A Token's ping filters (ping_filters.ts), as healthchecks has them: the HTTP
 * methods it takes ('' any, 'POST' only) and keywords looked for in a ping's
 * body or an email's subject. Defaults filter nothing, so Tokens made before,
 * and those the edge provisions, behave as they did.
 */
export default class extends BaseSchema {
  protected tableName = 'tokens'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('methods', 10).notNullable().defaultTo('')
      table.boolean('filter_subject').notNullable().defaultTo(false)
      table.boolean('filter_body').notNullable().defaultTo(false)
      table.string('start_kw', 200).notNullable().defaultTo('')
      table.string('success_kw', 200).notNullable().defaultTo('')
      table.string('failure_kw', 200).notNullable().defaultTo('')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumns(
        'methods',
        'filter_subject',
        'filter_body',
        'start_kw',
        'success_kw',
        'failure_kw'
      )
    })
  }
}
