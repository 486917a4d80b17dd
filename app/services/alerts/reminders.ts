import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import SendNotification from '#jobs/send_notification'
import { maintenanceEnd } from '#models/maintenance_window'

/**
 * Repeat alerts: while a Token stays down, each of its Channels with a
 * `repeat_interval` is reminded at that interval. One `reminders` row per
 * (Token, Channel) holds when the next one is due. The Flip dispatcher and
 * Channel changes keep the rows (reminder_rows.ts); the scheduler's pass
 * (ReminderPass) sends what is due.
 */

/**
 * Due rows, oldest first, with what decides their fate. Rows another pass holds are skipped,
 * and a row it has just advanced fails `due_at <= now` when PostgreSQL re-reads it to lock it,
 * so two passes never send one reminder twice.
 */
const DUE = `
SELECT r.token_id, r.channel_id, r.flip_id, r.down_since, r.due_at, c.repeat_interval,
  t.status, t.snooze_until, t.maintenance_schedule, t.maintenance_minutes, t.maintenance_tz,
  EXISTS (SELECT 1 FROM token_channels tc
    WHERE tc.token_id = r.token_id AND tc.channel_id = r.channel_id) AS attached,
  EXISTS (SELECT 1 FROM token_dependencies d JOIN tokens p ON p.id = d.parent_id
    WHERE d.child_id = r.token_id AND p.status = 'down') AS parent_down
FROM reminders r
JOIN tokens t ON t.id = r.token_id
JOIN channels c ON c.id = r.channel_id
WHERE r.due_at <= ?
ORDER BY r.due_at
LIMIT ?
FOR UPDATE OF r SKIP LOCKED`

interface DueRow {
  token_id: string
  channel_id: string
  flip_id: string
  down_since: Date
  due_at: Date
  repeat_interval: number | null
  status: string
  snooze_until: Date | null
  maintenance_schedule: string
  maintenance_minutes: number
  maintenance_tz: string
  attached: boolean
  parent_down: boolean
}

/** The first due time after `now`, on the row's own beat (missed beats are not caught up) */
function nextDue(row: DueRow, now: Date) {
  const step = row.repeat_interval! * 1000
  const missed = Math.floor((now.getTime() - row.due_at.getTime()) / step) + 1
  return new Date(row.due_at.getTime() + missed * step)
}

/** Whether the Token may be reminded now: as silencing.ts rules for its Flips */
function quiet(row: DueRow, now: Date) {
  const window = {
    snoozeUntil: row.snooze_until,
    maintenanceSchedule: row.maintenance_schedule,
    maintenanceMinutes: row.maintenance_minutes,
    maintenanceTz: row.maintenance_tz,
  }
  return row.parent_down || maintenanceEnd(window, now) !== null
}

export class ReminderPass {
  constructor(private chunkSize = 500) {}

  /**
   * Sends every reminder due at `now`; returns how many it queued. A row whose Token is no
   * longer down (recovered, paused) or whose Channel stopped repeating or was detached is
   * dropped; one in a maintenance window or under a down parent moves on without sending.
   */
  async runOnce(now: Date = new Date()): Promise<number> {
    let total = 0
    for (;;) {
      const { queued, seen } = await db.transaction((trx) => this.#chunk(trx, now))
      total += queued
      if (seen < this.chunkSize) {
        return total
      }
    }
  }

  async #chunk(trx: QueryClientContract, now: Date) {
    const { rows } = (await trx.rawQuery(DUE, [now, this.chunkSize])) as { rows: DueRow[] }
    const gone: DueRow[] = []
    const moved: { row: DueRow; sent: number }[] = []
    for (const row of rows) {
      if (row.status !== 'down' || !row.attached || row.repeat_interval === null) {
        gone.push(row)
        continue
      }
      const send = !quiet(row, now)
      if (send) {
        await SendNotification.dispatch({
          flipId: Number(row.flip_id),
          channelId: row.channel_id,
          reminder: { downSince: row.down_since.toISOString(), at: now.toISOString() },
        })
          .dedup({
            id: `remind-${row.token_id}-${row.channel_id}-${row.due_at.getTime()}`,
            ttl: '1d',
          })
          .run()
      }
      moved.push({ row, sent: send ? 1 : 0 })
    }
    if (gone.length > 0) {
      await trx.rawQuery(
        `DELETE FROM reminders r USING unnest(?::bigint[], ?::uuid[]) AS v(token_id, channel_id)
         WHERE r.token_id = v.token_id AND r.channel_id = v.channel_id`,
        [gone.map((row) => row.token_id), gone.map((row) => row.channel_id)]
      )
    }
    if (moved.length > 0) {
      await trx.rawQuery(
        `UPDATE reminders r SET due_at = v.due_at, sent = r.sent + v.sent
         FROM unnest(?::bigint[], ?::uuid[], ?::timestamptz[], ?::int[])
           AS v(token_id, channel_id, due_at, sent)
         WHERE r.token_id = v.token_id AND r.channel_id = v.channel_id`,
        [
          moved.map(({ row }) => row.token_id),
          moved.map(({ row }) => row.channel_id),
          moved.map(({ row }) => nextDue(row, now).toISOString()),
          moved.map(({ sent }) => sent),
        ]
      )
    }
    return { queued: moved.reduce((sum, { sent }) => sum + sent, 0), seen: rows.length }
  }
}
