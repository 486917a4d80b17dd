import db from '@adonisjs/lucid/services/db'
import SendNotification from '#jobs/send_notification'

interface PendingFlip {
  id: string
  token_id: string
  old_status: string
  new_status: string
}

/**
 * Turns Flips into notification jobs: every Flip to or from `down` queues one
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
    return db.transaction(async (trx) => {
      const flips = await trx.rawQuery(
        `SELECT id, token_id, old_status, new_status FROM flips WHERE processed_at IS NULL
         ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [this.batchSize]
      )
      const rows: PendingFlip[] = flips.rows
      if (rows.length === 0) {
        return 0
      }
      const alerting = rows.filter(
        (flip) => flip.old_status === 'down' || flip.new_status === 'down'
      )
      const links = await trx.rawQuery(
        'SELECT token_id, channel_id FROM token_channels WHERE token_id = ANY(?::bigint[])',
        [[...new Set(alerting.map((flip) => flip.token_id))]]
      )
      let queued = 0
      for (const flip of alerting) {
        for (const link of links.rows.filter(
          (row: { token_id: string }) => String(row.token_id) === String(flip.token_id)
        )) {
          await SendNotification.dispatch({ flipId: Number(flip.id), channelId: link.channel_id })
            .dedup({ id: `flip-${flip.id}-${link.channel_id}`, ttl: '1d' })
            .run()
          queued += 1
        }
      }
      await trx.rawQuery('UPDATE flips SET processed_at = now() WHERE id = ANY(?::bigint[])', [
        rows.map((flip) => flip.id),
      ])
      return queued
    })
  }
}
