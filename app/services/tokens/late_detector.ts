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
 * read from the row as the pass locked it. A Token down inside a maintenance window carries
 * the window's end as its deadline, so judging it again then is one more overdue row, not a
 * second scan. The UPDATE finds the chunk's rows by primary key (`id = ANY` of the locked
 * ids), and the Flips take the old status and reason from `due` after it: a join of the
 * UPDATE with `due` was planned as a hash over every overdue row, rebuilt for each chunk.
 */
function onRow(sql: string) {
  return sql.replaceAll(/\b(alert_after|status|quiet_until)\b/g, 't.$1')
}

const FLIP_OVERDUE = `
WITH due AS (
  SELECT id, status, ${LATE_SQL.reason} AS reason FROM tokens
  WHERE ${LATE_SQL.overdue}
  ORDER BY alert_after
  LIMIT ?
  FOR UPDATE SKIP LOCKED
), flipped AS (
  UPDATE tokens AS t SET status = 'down', alert_after = ${onRow(LATE_SQL.alertAfter)},
    quiet_until = NULL, updated_at = ?
  WHERE t.id = ANY(ARRAY(SELECT id FROM due)) AND ${onRow(LATE_SQL.overdue)}
  RETURNING t.id
)
INSERT INTO flips (token_id, created_at, old_status, new_status, reason)
SELECT id, ?, due.status, 'down', due.reason
FROM flipped JOIN due USING (id)
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
      const result = await client.rawQuery(FLIP_OVERDUE, [now, this.chunkSize, now, now, now, now])
      total += result.rowCount ?? result.rows.length
      if (result.rows.length < this.chunkSize) {
        return total
      }
    }
  }
}
