import db from '@adonisjs/lucid/services/db'

/**
 * Bounded history: each Token keeps its last `limit` Pings. The worker tells
 * the pruner which Tokens got Pings; a Token is pruned once it has `slack`
 * more than the limit, in small DELETEs outside the ingest transaction, so
 * pruning never holds a lock that ingest waits for.
 */
export class PingPruner {
  /** n_pings of each Token when it was last pruned by this worker */
  #prunedAt = new Map<number, number>()
  #due = new Map<number, number>()
  readonly slack: number

  constructor(
    readonly limit: number,
    readonly chunkSize = 1000
  ) {
    this.slack = Math.max(1, Math.min(100, Math.ceil(limit / 10)))
  }

  note(touched: { id: number; nPings: number }[]) {
    if (this.limit <= 0) {
      return
    }
    for (const { id, nPings } of touched) {
      const last = this.#prunedAt.get(id)
      if (nPings > this.limit && (last === undefined || nPings - last >= this.slack)) {
        this.#due.set(id, nPings)
      }
    }
  }

  get pending() {
    return this.#due.size
  }

  /**
   * Prunes the Tokens that are due, one small DELETE at a time. Returns the
   * number of Pings deleted.
   */
  async run(): Promise<number> {
    let deleted = 0
    for (const [id, nPings] of this.#due) {
      this.#due.delete(id)
      deleted += await this.prune(id)
      this.#prunedAt.set(id, nPings)
    }
    return deleted
  }

  async prune(tokenId: number): Promise<number> {
    const cut = await db.rawQuery(
      'SELECT id FROM pings WHERE token_id = ? ORDER BY id DESC OFFSET ? LIMIT 1',
      [tokenId, this.limit]
    )
    if (cut.rows.length === 0) {
      return 0
    }
    const lastId = cut.rows[0].id
    let total = 0
    for (;;) {
      const result = await db.rawQuery(
        `DELETE FROM pings WHERE id IN (
           SELECT id FROM pings WHERE token_id = ? AND id <= ? ORDER BY id LIMIT ?)`,
        [tokenId, lastId, this.chunkSize]
      )
      total += result.rowCount ?? 0
      if ((result.rowCount ?? 0) < this.chunkSize) {
        return total
      }
    }
  }

  /**
   * The scheduler's sweep: prunes every Token that may hold more than the
   * limit, so Tokens that stopped getting Pings (or a lowered limit) are
   * covered too. Returns the number of Pings deleted.
   */
  async sweep(): Promise<number> {
    let lastId = 0
    let deleted = 0
    for (;;) {
      const tokens = await db.rawQuery(
        'SELECT id FROM tokens WHERE n_pings > ? AND id > ? ORDER BY id LIMIT 500',
        [this.limit, lastId]
      )
      if (tokens.rows.length === 0 || this.limit <= 0) {
        return deleted
      }
      for (const { id } of tokens.rows) {
        deleted += await this.prune(Number(id))
        lastId = Number(id)
      }
    }
  }
}
