import db from '@adonisjs/lucid/services/db'
import SendNotification from '#jobs/send_notification'
import { flips } from '#services/operations/app_metrics'

/**
 * Turns Flips into notification jobs: every Flip to or from `down` or `warning` queues one
 * job per Channel of its Token. Flips are the outbox, so whatever writes one
 * (the worker's batches, the late-detection pass, a pause) gets its alerts.
 */
export default class FlipDispatcher {
  constructor(private batchSize = 200) {}

  /**
   * One pass; returns the number of jobs queued. Jobs are queued before the
   * Flips are marked as processed and carry a dedup id, so a crash between
   * the two re-queues nothing twice and loses nothing.
   */
  async runOnce(): Promise<number> {
    const result = await db.transaction(async (trx) => {
      const pending = await trx.rawQuery(
        'SELECT id, new_status FROM flips WHERE processed_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED',
        [this.batchSize]
      )
      const ids: number[] = pending.rows.map((row: { id: number }) => row.id)
      if (ids.length === 0) {
        return { queued: 0, flips: [] }
      }
      const notices = await trx.rawQuery(
        `SELECT f.id AS flip_id, tc.channel_id FROM flips f
         JOIN token_channels tc ON tc.token_id = f.token_id
         WHERE f.id = ANY(?::bigint[])
           AND (f.old_status IN ('down', 'warning') OR f.new_status IN ('down', 'warning'))
         ORDER BY f.id`,
        [ids]
      )
      for (const { flip_id: flipId, channel_id: channelId } of notices.rows) {
        await SendNotification.dispatch({ flipId, channelId })
          .dedup({ id: `flip-${flipId}-${channelId}`, ttl: '1d' })
          .run()
      }
      await trx.rawQuery('UPDATE flips SET processed_at = now() WHERE id = ANY(?::bigint[])', [ids])
      return { queued: notices.rows.length, flips: pending.rows as { new_status: string }[] }
    })
    // Counted once committed: a rolled-back pass handles the same Flips again.
    for (const flip of result.flips) {
      flips.inc({ to: flip.new_status })
    }
    return result.queued
  }
}
