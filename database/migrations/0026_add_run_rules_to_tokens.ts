import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A Token's run rules (token_state.ts): a run's longest time, the shortest gap between
 * successes and the shortest run (a warning below them), and how many failures in a row
 * it takes to go down, with the count so far.
 */
export default class extends BaseSchema {
  protected tableName = 'tokens'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('max_runtime').nullable()
      table.integer('min_interval').nullable()
      table.integer('min_duration').nullable()
      table.integer('fail_threshold').notNullable().defaultTo(1)
      table.integer('consecutive_fails').notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumns(
        'max_runtime',
        'min_interval',
        'min_duration',
        'fail_threshold',
        'consecutive_fails'
      )
    })
  }
}
