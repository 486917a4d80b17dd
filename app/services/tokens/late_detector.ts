import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { LATE_SQL } from '#models/token_state'

/**
 * The scheduler's late-detection pass: every Token whose `alert_after` has
 * passed goes down, with a Flip, in one conditional statement per chunk.
 *
 * The rule is checkLate's (app/models/token_state.ts), as LATE_SQL. Two schedulers side
 * by side never flip a Token twice: rows another pass holds are skipped (SKIP LOCKED) and
 * the UPDATE re-checks the rule on the row it locks. The scan walks the partial index on alert_after, so
 * its cost follows the overdue count, not the number of Tokens. A run's max_runtime is folded
 * into alert_after when the run starts, so it needs no scan of its own; the Flip's reason is
 * read from the row as the pass locked it.
 */
const FLIP_OVERDUE = `
WITH due AS (
  SELECT id, status, ${LATE_SQL.reason} AS reason FROM tokens
  WHERE ${LATE_SQL.overdue}
  ORDER BY alert_after
  LIMIT ?
  FOR UPDATE SKIP LOCKED
), flipped AS (
  UPDATE tokens AS t SET status = 'down', alert_after = NULL, updated_at = ?
  FROM due
  WHERE t.id = due.id AND ${LATE_SQL.overdue.replaceAll(/\b(alert_after|status)\b/g, 't.$1')}
  RETURNING t.id, due.status AS old_status, due.reason
)
INSERT INTO flips (token_id, created_at, old_status, new_status, reason)
SELECT id, ?, old_status, 'down', reason
FROM flipped
RETURNING token_id`

export default class LateDetector {
  constructor(private chunkSize = 1000) {}

  /**
   * Flips every overdue Token down as of `now`; returns how many it flipped.
   * `client` is a transaction when a caller (a test) holds the pass open.
   */
  async runOnce(
    now: Date = new Date(),
    client: QueryClientContract = db.connection()
  ): Promise<number> {
    let total = 0
    for (;;) {
      const result = await client.rawQuery(FLIP_OVERDUE, [now, this.chunkSize, now, now, now])
      total += result.rowCount ?? result.rows.length
      if (result.rows.length < this.chunkSize) {
        return total
      }
    }
  }
}
