import db from '@adonisjs/lucid/services/db'

/** Flips are kept this long (SPEC §4). */
export const FLIP_RETENTION_DAYS = 93

/**
 * Deletes Flips older than the retention in small chunks, so the pass never
 * holds long locks. Returns how many it deleted. A Flip a reminder repeats
 * stays while the Token is down: its message is the reminder's.
 */
export async function pruneFlips(now: Date = new Date(), chunkSize = 5000): Promise<number> {
  const cutoff = new Date(now.getTime() - FLIP_RETENTION_DAYS * 86_400_000)
  let total = 0
  for (;;) {
    const result = await db.rawQuery(
      `DELETE FROM flips WHERE id IN (SELECT id FROM flips f WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.flip_id = f.id) LIMIT ?)`,
      [cutoff, chunkSize]
    )
    const deleted = result.rowCount ?? 0
    total += deleted
    if (deleted < chunkSize) {
      return total
    }
  }
}
