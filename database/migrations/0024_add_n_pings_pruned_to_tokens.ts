import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The pruning sweep visits only Tokens with Pings since their last pruning:
 * `n_pings_pruned` is the Token's `n_pings` when it was last pruned to
 * PING_LOG_LIMIT, and a partial index holds the Tokens that got Pings since.
 * Existing Tokens start at 0, so the first sweep visits each once.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE tokens ADD COLUMN n_pings_pruned bigint NOT NULL DEFAULT 0')
    this.schema.raw(
      'CREATE INDEX tokens_prune_due_idx ON tokens (id) WHERE n_pings > n_pings_pruned'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS tokens_prune_due_idx')
    this.schema.raw('ALTER TABLE tokens DROP COLUMN IF EXISTS n_pings_pruned')
  }
}
