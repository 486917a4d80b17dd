import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('channels', (table) => {
      table.uuid('id').primary().defaultTo(this.raw('gen_random_uuid()'))
      table
        .integer('user_id')
        .notNullable()
        .unsigned()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('kind', 16).notNullable()
      table.string('name', 100).notNullable()
      table.jsonb('config').notNullable().defaultTo('{}')
      table.text('last_error').nullable()
      table.timestamp('last_notify_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()
      table.index(['user_id'])
    })

    this.schema.createTable('token_channels', (table) => {
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
      table.primary(['token_id', 'channel_id'])
      table.index(['channel_id'])
    })
  }

  async down() {
    this.schema.dropTable('token_channels')
    this.schema.dropTable('channels')
  }
}
