import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'pings'

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
      table.string('kind', 8).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.string('method', 10).notNullable().defaultTo('')
      table.string('remote_addr', 45).notNullable().defaultTo('')
      table.string('user_agent', 200).notNullable().defaultTo('')
      table.smallint('exit_status').nullable()
      table.uuid('rid').nullable()
      table.integer('duration_ms').nullable()
      table.binary('body').nullable()
      /**
       * The Redis Stream entry id the Ping came from; unique, so a re-delivered
       * entry never makes a second Ping. Null for Pings recorded by hand.
       */
      table.string('stream_id', 32).nullable().unique()
    })

    this.schema.raw('CREATE INDEX pings_token_id_id_idx ON pings (token_id, id DESC)')
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
