import db from '@adonisjs/lucid/services/db'
import config from '@adonisjs/core/services/config'
import { duration } from '#services/support/ui_format'

/**
 * What every Channel kind says about one Flip.
 */
export interface AlertMessage {
  uuid: string
  name: string
  slug: string | null
  tags: string[]
  desc: string
  pingUrl: string
  /** The status the Token flipped to ("up", "warning" or "down") */
  status: string
  oldStatus: string
  reason: string
  at: Date
  /** The body and exit status of the Token's latest Ping, if any */
  body: string
  exitStatus: number | null
  /** Tokens that depend on this one and are down too: their alerts are silenced */
  silencedChildren: string[]
  test: boolean
  /** Set on a repeat of a down notice (a Channel's `repeat_interval`): since when it is down */
  reminder?: { downSince: Date; at: Date }
}

const REASONS: Record<string, string> = {
  'timeout': 'no ping arrived in time',
  'start_timeout': 'a run started and did not finish within its grace time',
  'max runtime': 'a run started and did not finish within its maximum run time',
  'too soon': 'a success came sooner after the previous one than its minimum interval',
  'too short': 'a run ended sooner than its minimum duration',
  'fail': 'a failure ping arrived',
  'success': 'a success ping arrived',
  'resumed': 'it was resumed',
  'maintenance_end': 'it was still down when its maintenance window ended',
  'paused': 'it was paused',
  'test': 'this is a test notification',
}

export function describeReason(reason: string) {
  return REASONS[reason] ?? reason
}

/** How long a reminded Token has been down: "3 h 5 min", "4 days 2 h" */
export function downFor(message: AlertMessage) {
  const reminder = message.reminder
  if (!reminder) {
    return ''
  }
  const ms = reminder.at.getTime() - reminder.downSince.getTime()
  if (ms < 2 * 86_400_000) {
    return duration(ms)
  }
  const days = Math.floor(ms / 86_400_000)
  const hours = Math.floor((ms % 86_400_000) / 3_600_000)
  return hours ? `${days} days ${hours} h` : `${days} days`
}

export function subjectOf(message: AlertMessage) {
  if (message.reminder) {
    return `[reminder] ${message.name} is still ${message.status.toUpperCase()}, for ${downFor(message)}`
  }
  const prefix = message.test ? '[test] ' : ''
  return `${prefix}${message.name} is ${message.status.toUpperCase()}`
}

function firstLine(message: AlertMessage) {
  const why = `${describeReason(message.reason)} (${message.at.toISOString()})`
  if (message.reminder) {
    return (
      `Reminder: ${message.name} is still ${message.status.toUpperCase()}, for ` +
      `${downFor(message)} (since ${message.reminder.downSince.toISOString()}). ` +
      `It went down because ${why}.`
    )
  }
  return `${subjectOf(message)}: ${why}.`
}

/**
 * One plain-text paragraph, for email, Slack and ntfy.
 */
export function textOf(message: AlertMessage) {
  const lines = [firstLine(message), `Ping URL: ${message.pingUrl}`]
  if (message.tags.length > 0) {
    lines.push(`Tags: ${message.tags.join(' ')}`)
  }
  if (message.exitStatus !== null) {
    lines.push(`Exit status: ${message.exitStatus}`)
  }
  if (message.silencedChildren.length > 0) {
    lines.push(
      `Also down, not notified (they depend on it): ${message.silencedChildren.join(', ')}`
    )
  }
  if (message.body) {
    lines.push('', message.body.slice(0, 1000))
  }
  return lines.join('\n')
}

/**
 * The message of a Flip, or null when the Flip or its Token is gone.
 */
export async function flipMessage(flipId: number): Promise<AlertMessage | null> {
  const result = await db.rawQuery(
    `SELECT f.old_status, f.new_status, f.reason, f.created_at, t.uuid, t.name, t.slug, t.tags, t."desc",
       p.body, p.exit_status,
       ARRAY(SELECT c.name FROM token_dependencies d JOIN tokens c ON c.id = d.child_id
         WHERE d.parent_id = t.id AND c.status = 'down' ORDER BY c.name LIMIT 50) AS children
     FROM flips f JOIN tokens t ON t.id = f.token_id
     LEFT JOIN LATERAL (SELECT body, exit_status FROM pings WHERE token_id = t.id ORDER BY id DESC LIMIT 1) p ON true
     WHERE f.id = ?`,
    [flipId]
  )
  const row = result.rows[0]
  if (!row) {
    return null
  }
  return {
    uuid: row.uuid,
    name: row.name,
    slug: row.slug,
    tags: row.tags,
    desc: row.desc,
    pingUrl: `${config.get<string>('ngip.pingUrl')}/ping/${row.uuid}`,
    status: row.new_status,
    oldStatus: row.old_status,
    reason: row.reason,
    at: row.created_at,
    body: row.body ? Buffer.from(row.body).toString('utf8') : '',
    exitStatus: row.exit_status,
    silencedChildren: row.children,
    test: false,
  }
}

/**
 * A made-up "down" message for the "send test notification" action.
 */
export function testMessage(): AlertMessage {
  return {
    uuid: '00000000-0000-4000-8000-000000000000',
    name: 'Test notification',
    slug: 'test',
    tags: ['test'],
    desc: '',
    pingUrl: `${config.get<string>('ngip.pingUrl')}/ping/00000000-0000-4000-8000-000000000000`,
    status: 'down',
    oldStatus: 'up',
    reason: 'test',
    at: new Date(),
    body: '',
    exitStatus: null,
    silencedChildren: [],
    test: true,
  }
}
