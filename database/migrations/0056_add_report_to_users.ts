import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The email report a User opts in to: daily or weekly (Mondays), at an hour
 * of their time zone. `report_next_at` is the end of the next period to
 * report, null while off; the scheduler's pass claims due rows by it.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('report_period', 8).notNullable().defaultTo('off')
      table.smallint('report_hour').notNullable().defaultTo(8)
      table.string('report_tz', 64).notNullable().defaultTo('UTC')
      table.timestamp('report_next_at', { useTz: true }).nullable()
    })
    this.schema.raw(
      'CREATE INDEX users_report_next_at_idx ON users (report_next_at) WHERE report_next_at IS NOT NULL'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS users_report_next_at_idx')
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('report_period')
      table.dropColumn('report_hour')
      table.dropColumn('report_tz')
      table.dropColumn('report_next_at')
    })
  }
}
