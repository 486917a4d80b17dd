import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import SendNotification from '#jobs/send_notification'
import { flips } from '#services/operations/app_metrics'
import { silenceOf, type Silence } from '#services/alerts/silencing'
import { keepReminders } from '#services/alerts/reminder_rows'

/**
 * The facts silenceOf needs for each Flip that notifies (to or from down or warning): the
 * Token's windows, whether a parent is down now, and how its previous down was silenced.
 */
const FLIP_FACTS = `
SELECT f.id, f.token_id, f.old_status, f.new_status, f.created_at,
  t.snooze_until, t.maintenance_schedule, t.maintenance_minutes, t.maintenance_tz,
  EXISTS (SELECT 1 FROM token_dependencies d JOIN tokens p ON p.id = d.parent_id
    WHERE d.child_id = f.token_id AND p.status = 'down') AS parent_down,
  (SELECT l.silenced FROM flips l WHERE l.token_id = f.token_id AND l.new_status = 'down'
    AND l.id < f.id ORDER BY l.id DESC LIMIT 1) AS last_down
FROM flips f JOIN tokens t ON t.id = f.token_id
WHERE f.id = ANY(?::bigint[])
  AND (f.old_status IN ('down', 'warning') OR f.new_status IN ('down', 'warning'))
ORDER BY f.id`

/**
 * Decides and records which Flips notify nobody; returns the ids of those that notify.
 */
async function silence(trx: TransactionClientContract, ids: number[]): Promise<number[]> {
  const { rows } = await trx.rawQuery(FLIP_FACTS, [ids])
  // Flips are in id order: a down decided in this pass counts for the recovery after it.
  const lastDown = new Map<number, Silence>()
  const silenced: { id: number; why: string }[] = []
  const loud: number[] = []
  for (const row of rows) {
    const why = silenceOf({
      oldStatus: row.old_status,
      newStatus: row.new_status,
      at: row.created_at,
      window: {
        snoozeUntil: row.snooze_until,
        maintenanceSchedule: row.maintenance_schedule,
        maintenanceMinutes: row.maintenance_minutes,
        maintenanceTz: row.maintenance_tz,
      },
      parentDown: row.parent_down,
      lastDown: lastDown.has(row.token_id) ? lastDown.get(row.token_id)! : row.last_down,
    })
    if (row.new_status === 'down') {
      lastDown.set(row.token_id, why)
    }
    if (why) {
      silenced.push({ id: row.id, why })
    } else {
      loud.push(Number(row.id))
    }
  }
  if (silenced.length > 0) {
    await trx.rawQuery(
      `UPDATE flips SET silenced = v.why FROM unnest(?::bigint[], ?::text[]) AS v(id, why)
       WHERE flips.id = v.id`,
      [silenced.map((flip) => flip.id), silenced.map((flip) => flip.why)]
    )
  }
  return loud
}

/**
 * Turns Flips into notification jobs: every Flip to or from `down` or `warning` queues one
 * job per Channel of its Token, unless it is silenced (silencing.ts): inside a maintenance
 * window, or while a Token it depends on is down. Flips are the outbox, so whatever writes one
 * (the worker's batches, the late-detection pass, a pause) gets its alerts, and its repeats:
 * a loud down starts the reminders of its Token's repeating Channels, leaving down ends them.
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
      const loud = await silence(trx, ids)
      await keepReminders(trx, ids, loud)
      const notices = await trx.rawQuery(
        `SELECT f.id AS flip_id, tc.channel_id FROM flips f
         JOIN token_channels tc ON tc.token_id = f.token_id
         WHERE f.id = ANY(?::bigint[])
         ORDER BY f.id`,
        [loud]
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
