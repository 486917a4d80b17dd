import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.uuid('uuid').notNullable().unique()
      table
        .integer('user_id')
        .notNullable()
        .unsigned()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('name', 100).notNullable()
      table.string('slug', 100).nullable()
      table.specificType('tags', 'text[]').notNullable().defaultTo('{}')
      table.text('desc').notNullable().defaultTo('')
      table.string('kind', 10).notNullable().defaultTo('simple')
      table.integer('timeout').notNullable().defaultTo(86400)
      table.integer('grace').notNullable().defaultTo(3600)
      table.string('schedule', 100).notNullable().defaultTo('* * * * *')
      table.string('tz', 64).notNullable().defaultTo('UTC')
      table.string('status', 10).notNullable().defaultTo('new')
      table.boolean('manual_resume').notNullable().defaultTo(false)
      table.bigInteger('n_pings').notNullable().defaultTo(0)
      table.timestamp('last_ping_at', { useTz: true }).nullable()
      table.integer('last_duration_ms').nullable()
      table.timestamp('last_start_at', { useTz: true }).nullable()
      table.uuid('last_start_rid').nullable()
      /**
       * The moment this Token goes down unless a ping arrives first.
       */
      table.timestamp('alert_after', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).nullable()

      table.index(['user_id', 'created_at'])
      table.index(['tags'], undefined, { indexType: 'GIN' })
    })

    this.schema.raw(
      'CREATE UNIQUE INDEX tokens_user_slug_unique ON tokens (user_id, slug) WHERE slug IS NOT NULL'
    )
    /**
     * The scheduler's late-detection query scans only Tokens that can still go
     * down; down, new and paused Tokens stay out of the index.
     */
    this.schema.raw(
      "CREATE INDEX tokens_alert_after_idx ON tokens (alert_after) WHERE alert_after IS NOT NULL AND status <> 'down'"
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
