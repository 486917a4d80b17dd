import db from '@adonisjs/lucid/services/db'

/** A Token to prune and its `n_pings` when it was read (every Ping up to it is committed). */
export interface PruneTarget {
  id: number
  nPings: number
}

export interface SweepResult {
  /** Tokens the sweep pruned (or found within the limit) */
  visited: number
  deleted: number
}

/**
 * One statement for a group of Tokens: each Token's cut is its Ping `limit`
 * places from the newest, and at most `chunk` of its older Pings go a round.
 * Answers how many went for each Token, so the caller repeats only for those
 * that had more.
 */
const PRUNE_SQL = `
  WITH cut AS (
    SELECT t.id AS token_id, c.id AS cut_id
    FROM unnest(?::bigint[]) AS t(id)
    CROSS JOIN LATERAL (
      SELECT p.id FROM pings p WHERE p.token_id = t.id ORDER BY p.id DESC OFFSET ? LIMIT 1
    ) c
  ), gone AS (
    DELETE FROM pings WHERE id IN (
      SELECT d.id FROM cut CROSS JOIN LATERAL (
        SELECT p.id FROM pings p
        WHERE p.token_id = cut.token_id AND p.id <= cut.cut_id
        ORDER BY p.id LIMIT ?
      ) d
    )
    RETURNING token_id
  )
  SELECT token_id, count(*)::int AS n FROM gone GROUP BY token_id`

/**
 * Records that each Token held at most the limit once its first `n` Pings
 * were in. Rows are locked in id order, as ingest locks them, so the two
 * queue instead of deadlocking; a later, higher mark is never lowered.
 */
const MARK_SQL = `
  WITH v AS (SELECT * FROM unnest(?::bigint[], ?::bigint[]) AS v(id, n)),
  locked AS (
    SELECT t.id FROM tokens t WHERE t.id IN (SELECT id FROM v) ORDER BY t.id FOR NO KEY UPDATE
  )
  UPDATE tokens t SET n_pings_pruned = GREATEST(t.n_pings_pruned, v.n)
  FROM v, locked WHERE t.id = v.id AND locked.id = v.id`

export interface PingPrunerOptions {
  /** Pings of one Token deleted a statement at most (1000) */
  chunkSize?: number
  /** Tokens pruned a statement (50) */
  groupSize?: number
  /** How often marks are written; 0 (the default) writes each with its pruning */
  markEveryMs?: number
}

/**
 * Bounded history: each Token keeps its last `limit` Pings. The worker tells
 * the pruner which Tokens got Pings; a Token is pruned once it has `slack`
 * more than the limit, a group of Tokens a statement, outside the ingest
 * transaction, so pruning never holds a lock that ingest waits for long.
 * Each pruning leaves its mark on the Token (`n_pings_pruned`), so the
 * scheduler's sweep visits only Tokens with Pings since. The worker writes
 * its marks every `markEveryMs` for all the Tokens it pruned meanwhile: a
 * mark is an update of the Token's row (all its indexes), and a busy Token
 * is pruned many times a minute. A mark not written yet (a worker killed)
 * costs the sweep one visit, nothing else.
 */
export class PingPruner {
  /** n_pings of each Token when it was last pruned by this worker */
  #prunedAt = new Map<number, number>()
  #due = new Map<number, number>()
  /** Marks not written yet: Token id → n_pings it was pruned at */
  #marks = new Map<number, number>()
  #markedAt = performance.now()
  /** Pings of one Token deleted a statement at most */
  readonly chunkSize: number
  /** Tokens pruned a statement */
  readonly groupSize: number
  /** How often marks are written; 0 writes each with its pruning */
  readonly markEveryMs: number
  readonly slack: number

  constructor(
    readonly limit: number,
    { chunkSize = 1000, groupSize = 50, markEveryMs = 0 }: PingPrunerOptions = {}
  ) {
    this.chunkSize = chunkSize
    this.groupSize = groupSize
    this.markEveryMs = markEveryMs
    // A tenth of the limit, but at least 10 (or the limit itself, when smaller):
    // each pruning statement then deletes several Pings a Token, not one or two.
    this.slack = Math.max(1, Math.min(100, Math.max(Math.ceil(limit / 10), Math.min(limit, 10))))
  }

  note(touched: PruneTarget[]) {
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
   * Prunes the Tokens that are due, a group at a time. Returns the number of
   * Pings deleted.
   */
  async run(): Promise<number> {
    let deleted = 0
    while (this.#due.size > 0) {
      const group: PruneTarget[] = []
      for (const [id, nPings] of this.#due) {
        group.push({ id, nPings })
        this.#due.delete(id)
        if (group.length === this.groupSize) {
          break
        }
      }
      deleted += await this.pruneMany(group)
      for (const { id, nPings } of group) {
        this.#prunedAt.set(id, nPings)
      }
    }
    return deleted
  }

  async prune(tokenId: number): Promise<number> {
    const row = await db.from('tokens').where('id', tokenId).select('n_pings').first()
    return row ? this.pruneMany([{ id: tokenId, nPings: Number(row.n_pings) }]) : 0
  }

  /**
   * Trims each Token to its last `limit` Pings and marks it pruned up to the
   * `nPings` given. Returns the number of Pings deleted.
   */
  async pruneMany(tokens: PruneTarget[]): Promise<number> {
    if (tokens.length === 0 || this.limit <= 0) {
      return 0
    }
    let pending = tokens.map((token) => token.id)
    let deleted = 0
    while (pending.length > 0) {
      const result = await db.rawQuery(PRUNE_SQL, [pending, this.limit, this.chunkSize])
      const full: number[] = []
      for (const { token_id: tokenId, n } of result.rows as { token_id: string; n: number }[]) {
        deleted += n
        if (n >= this.chunkSize) {
          full.push(Number(tokenId))
        }
      }
      pending = full
    }
    for (const { id, nPings } of tokens) {
      this.#marks.set(id, Math.max(nPings, this.#marks.get(id) ?? 0))
    }
    if (performance.now() - this.#markedAt >= this.markEveryMs) {
      await this.flushMarks()
    }
    return deleted
  }

  /** Marks not written yet */
  get unmarked() {
    return this.#marks.size
  }

  /**
   * Writes the marks of the Tokens pruned since the last write, in id order, a
   * few hundred a statement.
   */
  async flushMarks() {
    this.#markedAt = performance.now()
    const marks = [...this.#marks].sort(([a], [b]) => a - b)
    this.#marks.clear()
    for (let start = 0; start < marks.length; start += 500) {
      const slice = marks.slice(start, start + 500)
      try {
        await db.rawQuery(MARK_SQL, [slice.map(([id]) => id), slice.map(([, n]) => n)])
      } catch (error) {
        // kept for the next write (a newer mark of the same Token wins)
        for (const [id, n] of marks.slice(start)) {
          this.#marks.set(id, Math.max(n, this.#marks.get(id) ?? 0))
        }
        throw error
      }
    }
  }

  /**
   * The scheduler's sweep: reaches Tokens the worker did not prune (idle
   * since, a worker stopped before its pass). It visits only Tokens past the
   * limit with Pings since their last pruning, unless `full` (after
   * PING_LOG_LIMIT was lowered), which visits every Token past the limit.
   */
  async sweep(options: { full?: boolean } = {}): Promise<SweepResult> {
    const result: SweepResult = { visited: 0, deleted: 0 }
    if (this.limit <= 0) {
      return result
    }
    const dirty = options.full ? '' : 'n_pings > n_pings_pruned AND'
    let lastId = 0
    for (;;) {
      const page = await db.rawQuery(
        `SELECT id, n_pings FROM tokens WHERE ${dirty} n_pings > ? AND id > ? ORDER BY id LIMIT 500`,
        [this.limit, lastId]
      )
      const tokens: PruneTarget[] = page.rows.map((row: { id: string; n_pings: string }) => ({
        id: Number(row.id),
        nPings: Number(row.n_pings),
      }))
      if (tokens.length === 0) {
        return result
      }
      for (let start = 0; start < tokens.length; start += this.groupSize) {
        result.deleted += await this.pruneMany(tokens.slice(start, start + this.groupSize))
      }
      result.visited += tokens.length
      lastId = tokens[tokens.length - 1].id
    }
  }
}
