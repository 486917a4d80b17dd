import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Repeat alerts. A Channel may repeat a down notice every `repeat_interval`
 * seconds while the Token stays down (null: never). One `reminders` row per
 * (down Token, Channel) holds when the next reminder is due; the scheduler's
 * pass walks the index on `due_at`, so its cost follows what is due.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('channels', (table) => {
      table.integer('repeat_interval').nullable()
    })
    this.schema.createTable('reminders', (table) => {
      table
        .bigInteger('token_id')
        .notNullable()
        .references('id')
        .inTable('tokens')
        .onDelete('CASCADE')
      table
        .uuid('channel_id')
        .notNullable()
        .references('id')
        .inTable('channels')
        .onDelete('CASCADE')
      /** The loud Flip to down that the reminders repeat */
      table.bigInteger('flip_id').notNullable()
      table.timestamp('down_since', { useTz: true }).notNullable()
      table.timestamp('due_at', { useTz: true }).notNullable()
      table.integer('sent').notNullable().defaultTo(0)
      table.primary(['token_id', 'channel_id'])
      table.index(['due_at'])
      table.index(['channel_id'])
    })
  }

  async down() {
    this.schema.dropTable('reminders')
    this.schema.alterTable('channels', (table) => {
      table.dropColumn('repeat_interval')
    })
  }
}
