import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A Token (the child) depends on others (its parents): while a parent is down,
 * the child's downs are recorded and notify nobody.
 */
export default class extends BaseSchema {
  protected tableName = 'token_dependencies'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table
        .bigInteger('child_id')
        .notNullable()
        .references('id')
        .inTable('tokens')
        .onDelete('CASCADE')
      table
        .bigInteger('parent_id')
        .notNullable()
        .references('id')
        .inTable('tokens')
        .onDelete('CASCADE')
      table.primary(['child_id', 'parent_id'])
      table.index(['parent_id'])
    })
    this.schema.raw(
      'ALTER TABLE token_dependencies ADD CONSTRAINT token_dependencies_not_self CHECK (child_id <> parent_id)'
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
