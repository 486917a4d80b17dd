import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import { DateTime } from 'luxon'
import User from '#models/user'
import { duration } from '#services/support/ui_format'

/** One Token in a report: its status now, its downs in the period (from Flips), its last failures */
export interface TokenReport {
  id: string
  name: string
  status: string
  lastPingAt: Date | null
  /** `open`: still down at the period's end */
  downtimes: { from: Date; to: Date; open?: boolean }[]
  failures: { at: Date; exitStatus: number | null }[]
}

/** A report lists this many Tokens at most; the rest are counted */
const MAX_TOKENS = 500

const TOKENS = `
SELECT t.id, t.name, t.status, t.last_ping_at,
  (SELECT f.new_status FROM flips f WHERE f.token_id = t.id AND f.created_at < ?
    ORDER BY f.created_at DESC, f.id DESC LIMIT 1) AS at_start
FROM tokens t WHERE t.project_id IN (SELECT project_id FROM project_members WHERE user_id = ?)
ORDER BY t.name, t.id LIMIT ?`

const FLIPS = `
SELECT token_id, created_at, old_status, new_status FROM flips
WHERE token_id = ANY(?::bigint[]) AND created_at >= ? AND created_at < ?
ORDER BY token_id, created_at, id`

const FAILURES = `
SELECT t.id AS token_id, p.created_at, p.exit_status FROM unnest(?::bigint[]) AS t(id)
CROSS JOIN LATERAL (SELECT created_at, exit_status FROM pings
  WHERE token_id = t.id AND kind = 'fail' AND created_at >= ? AND created_at < ?
  ORDER BY id DESC LIMIT 3) p`

interface FlipRow {
  token_id: string
  created_at: Date
  old_status: string
  new_status: string
}

/**
 * The down spans of one Token within [start, end): it is down at the start when its last Flip
 * before says so (or, history pruned, the first Flip inside leaves down).
 */
function downtimes(atStart: string | null, flips: FlipRow[], start: Date, end: Date) {
  const spans: TokenReport['downtimes'] = []
  let downFrom = (atStart ?? flips[0]?.old_status) === 'down' ? start : null
  for (const flip of flips) {
    if (flip.new_status === 'down' && !downFrom) {
      downFrom = flip.created_at
    } else if (flip.new_status !== 'down' && downFrom) {
      spans.push({ from: downFrom, to: flip.created_at })
      downFrom = null
    }
  }
  if (downFrom) {
    spans.push({ from: downFrom, to: end, open: true })
  }
  return spans
}

/** Every Token of the User's Projects as the period [start, end) saw it */
export async function buildReport(userId: number, start: Date, end: Date) {
  const tokens = await db.rawQuery(TOKENS, [start, userId, MAX_TOKENS + 1])
  const counted = await db.rawQuery(
    `SELECT count(*)::int AS count FROM tokens
      WHERE project_id IN (SELECT project_id FROM project_members WHERE user_id = ?)`,
    [userId]
  )
  const rows = tokens.rows.slice(0, MAX_TOKENS)
  const ids = rows.map((row: { id: string }) => row.id)
  const flipRows = await db.rawQuery(FLIPS, [ids, start, end])
  const failureRows = await db.rawQuery(FAILURES, [ids, start, end])
  const flips = flipRows.rows as FlipRow[]
  const failures = failureRows.rows
  const count: number = counted.rows[0].count
  const reports: TokenReport[] = rows.map((row: any) => ({
    id: String(row.id),
    name: row.name,
    status: row.status,
    lastPingAt: row.last_ping_at,
    downtimes: downtimes(
      row.at_start,
      flips.filter((flip) => String(flip.token_id) === String(row.id)),
      start,
      end
    ),
    failures: failures
      .filter((failure: any) => String(failure.token_id) === String(row.id))
      .map((failure: any) => ({ at: failure.created_at, exitStatus: failure.exit_status })),
  }))
  return { tokens: reports, more: count - reports.length }
}

function timeIn(tz: string, at: Date) {
  return DateTime.fromJSDate(at, { zone: tz }).toFormat('yyyy-LL-dd HH:mm')
}

function tokenLines(token: TokenReport, tz: string) {
  const lines = [`${token.name}: ${token.status.toUpperCase()}`]
  lines.push(`  last ping: ${token.lastPingAt ? timeIn(tz, token.lastPingAt) : 'never'}`)
  if (token.downtimes.length === 0) {
    lines.push('  downtime: none')
  } else {
    const total = token.downtimes.reduce((sum, s) => sum + (s.to.getTime() - s.from.getTime()), 0)
    const times = token.downtimes.length === 1 ? 'once' : `${token.downtimes.length} times`
    lines.push(`  downtime: ${times}, ${duration(total)} in all`)
    for (const span of token.downtimes.slice(0, 10)) {
      const length = duration(span.to.getTime() - span.from.getTime())
      const to = span.open ? 'still down at the end' : `to ${timeIn(tz, span.to)}`
      lines.push(`    ${timeIn(tz, span.from)} ${to} (${length})`)
    }
  }
  for (const failure of token.failures) {
    const exit = failure.exitStatus === null ? '' : ` (exit status ${failure.exitStatus})`
    lines.push(`  failure: ${timeIn(tz, failure.at)}${exit}`)
  }
  return lines
}

/** The report as a subject and a plain-text body */
export function reportText(
  user: Pick<User, 'email' | 'reportPeriod' | 'reportTz'>,
  report: Awaited<ReturnType<typeof buildReport>>,
  start: Date,
  end: Date
) {
  const tz = user.reportTz
  const down = report.tokens.filter((token) => token.status === 'down').length
  const kind = user.reportPeriod === 'weekly' ? 'weekly' : 'daily'
  const subject = `ngip ${kind} report: ${down} of ${report.tokens.length + report.more} Tokens down`
  const lines = [
    `Your ${kind} report, ${timeIn(tz, start)} to ${timeIn(tz, end)} (${tz}).`,
    '',
    ...report.tokens.flatMap((token) => [...tokenLines(token, tz), '']),
  ]
  if (report.tokens.length === 0) {
    lines.push('You have no Tokens yet.', '')
  }
  if (report.more > 0) {
    lines.push(`And ${report.more} more Tokens, on the dashboard.`, '')
  }
  lines.push('Change or stop this report on your account page.')
  return { subject, text: lines.join('\n') }
}

/** Builds and mails one User's report of [start, end); false when the User is gone or disabled */
export async function sendReport(userId: number, start: Date, end: Date) {
  const user = await User.find(userId)
  if (!user || user.isDisabled) {
    return false
  }
  const { subject, text } = reportText(user, await buildReport(userId, start, end), start, end)
  await mail.send((message) => {
    message.to(user.email).subject(subject).text(text)
  })
  return true
}
