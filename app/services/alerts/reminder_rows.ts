import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * The rows of repeat alerts (`reminders`, one per down Token and repeating
 * Channel, due at its next reminder): kept as Flips are dispatched and as
 * Channels start repeating. The pass that sends them is reminders.ts.
 */

/**
 * For the Flips the dispatcher handles: a Token whose last Flip among them is a loud down
 * (in `loud`) gets a row per repeating Channel, due one interval after the Flip; one whose
 * last Flip leaves down (a recovery, a pause) loses its rows. A silenced down → down keeps
 * what there is. `down_since` is the Flip that took it down from another status, which a
 * silenced down may be (a down that began inside a maintenance window).
 */
const KEEP = `
WITH last AS (
  SELECT DISTINCT ON (token_id) id, token_id, new_status, created_at
  FROM flips WHERE id = ANY(?::bigint[]) ORDER BY token_id, id DESC
), gone AS (
  DELETE FROM reminders r USING last
  WHERE r.token_id = last.token_id AND last.new_status <> 'down'
)
INSERT INTO reminders (token_id, channel_id, flip_id, down_since, due_at)
SELECT last.token_id, c.id, last.id,
  COALESCE((SELECT d.created_at FROM flips d
    WHERE d.token_id = last.token_id AND d.id <= last.id
      AND d.new_status = 'down' AND d.old_status <> 'down'
    ORDER BY d.id DESC LIMIT 1), last.created_at),
  last.created_at + c.repeat_interval * interval '1 second'
FROM last
JOIN token_channels tc ON tc.token_id = last.token_id
JOIN channels c ON c.id = tc.channel_id AND c.repeat_interval IS NOT NULL
WHERE last.new_status = 'down' AND last.id = ANY(?::bigint[])
ON CONFLICT (token_id, channel_id) DO UPDATE SET flip_id = excluded.flip_id,
  down_since = excluded.down_since, due_at = excluded.due_at, sent = 0`

export async function keepReminders(trx: TransactionClientContract, ids: number[], loud: number[]) {
  await trx.rawQuery(KEEP, [ids, loud])
}

/**
 * A Channel that starts repeating (or changes its interval), or a repeating Channel attached to
 * a Token, picks up the Tokens it alerts that are down now, after a down that was notified:
 * due one interval after that down (a Token down for longer is reminded at the next pass).
 * Rows already there keep their beat.
 */
const seed = (which: 'c.id' | 'tc.token_id') => `
INSERT INTO reminders (token_id, channel_id, flip_id, down_since, due_at)
SELECT t.id, c.id, f.id,
  COALESCE((SELECT d.created_at FROM flips d
    WHERE d.token_id = t.id AND d.id <= f.id AND d.new_status = 'down' AND d.old_status <> 'down'
    ORDER BY d.id DESC LIMIT 1), f.created_at),
  f.created_at + c.repeat_interval * interval '1 second'
FROM channels c
JOIN token_channels tc ON tc.channel_id = c.id
JOIN tokens t ON t.id = tc.token_id AND t.status = 'down'
CROSS JOIN LATERAL (SELECT id, created_at, silenced, processed_at FROM flips
  WHERE token_id = t.id AND new_status = 'down' ORDER BY id DESC LIMIT 1) f
WHERE ${which} = ? AND c.repeat_interval IS NOT NULL
  AND f.processed_at IS NOT NULL AND f.silenced IS NULL
ON CONFLICT (token_id, channel_id) DO NOTHING`

const SEED_CHANNEL = seed('c.id')
const SEED_TOKEN = seed('tc.token_id')

export async function seedReminders(of: { channelId: string } | { tokenId: number }) {
  if ('channelId' in of) {
    await db.rawQuery(SEED_CHANNEL, [of.channelId])
  } else {
    await db.rawQuery(SEED_TOKEN, [of.tokenId])
  }
}
