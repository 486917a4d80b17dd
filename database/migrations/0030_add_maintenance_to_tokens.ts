import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Maintenance windows: an ad hoc snooze (`snooze_until`) and a scheduled
 * window (a cron line, a length in minutes, a time zone). `quiet_until` is the
 * end of the window that covers the Token's deadline, kept beside `alert_after`
 * so the late pass, in SQL alone, knows when to judge a Token that went down
 * inside a window again.
 */
export default class extends BaseSchema {
  protected tableName = 'tokens'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.timestamp('snooze_until', { useTz: true }).nullable()
      table.string('maintenance_schedule', 100).notNullable().defaultTo('')
      table.integer('maintenance_minutes').notNullable().defaultTo(0)
      table.string('maintenance_tz', 64).notNullable().defaultTo('UTC')
      table.timestamp('quiet_until', { useTz: true }).nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumns(
        'snooze_until',
        'maintenance_schedule',
        'maintenance_minutes',
        'maintenance_tz',
        'quiet_until'
      )
    })
  }
}
