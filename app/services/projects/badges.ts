import { createHmac, timingSafeEqual } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { appUrl, badgeSigningKey } from '#config/app'
import { displayStatus } from '#models/token_state'
import type Project from '#models/project'

/**
 * Status badges, as healthchecks serves them: one per tag and one for every Token of a
 * Project (`*`), at `/badge/<badge key>/<signature>[-2]/<tag>.<svg|json|shields>`. The
 * signature binds the URL to its tag, so a badge URL tells nothing of other tags; `-2`
 * reports up and down only (late counts as up).
 */
export type BadgeState = 'up' | 'late' | 'down'
export type BadgeFormat = 'svg' | 'json' | 'shields'

export const BADGE_FORMATS: BadgeFormat[] = ['svg', 'json', 'shields']
export const ALL_TAG = '*'

export function badgeSignature(badgeKey: string, tag: string) {
  return createHmac('sha256', badgeSigningKey)
    .update(`${badgeKey}\n${tag}`)
    .digest('base64url')
    .slice(0, 8)
}

export function signatureMatches(badgeKey: string, tag: string, signature: string) {
  const expected = Buffer.from(badgeSignature(badgeKey, tag))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export function badgePath(project: Project, tag: string, format: BadgeFormat, withLate: boolean) {
  const sig = `${badgeSignature(project.badgeKey, tag)}${withLate ? '' : '-2'}`
  return `/badge/${project.badgeKey}/${sig}/${encodeURIComponent(tag)}.${format}`
}

/**
 * A tag's badge URLs as healthchecks' `/api/v3/badges/` names them: `svg`, `json`,
 * `shields` show up or down (2 states), `svg3`, `json3`, `shields3` also late.
 */
export function badgeUrls(project: Project, tag: string) {
  return Object.fromEntries(
    BADGE_FORMATS.flatMap((format) => [
      [format, appUrl + badgePath(project, tag, format, false)],
      [`${format}3`, appUrl + badgePath(project, tag, format, true)],
    ])
  ) as Record<BadgeFormat | `${BadgeFormat}3`, string>
}

/** Every badge of a Project: all Tokens, then each tag in use. */
export async function badgeTags(projectId: number) {
  const rows = await db.rawQuery(
    'SELECT DISTINCT tag FROM tokens, unnest(tags) AS tag WHERE project_id = ? ORDER BY tag',
    [projectId]
  )
  return [ALL_TAG, ...rows.rows.map((row: { tag: string }) => row.tag)]
}

/** The counts behind a badge: the JSON format's fields, as healthchecks names them. */
export async function badgeCounts(projectId: number, tag: string, now = new Date()) {
  const query = db
    .from('tokens')
    .where('project_id', projectId)
    .select('status', 'last_start_at', 'alert_after', 'grace')
  if (tag !== ALL_TAG) {
    query.whereRaw('? = ANY(tags)', [tag])
  }
  const counts = { total: 0, grace: 0, down: 0 }
  for (const row of await query) {
    counts.total += 1
    const shown = displayStatus(
      {
        status: row.status,
        lastStartAt: row.last_start_at,
        alertAfter: row.alert_after,
        grace: row.grace,
      } as Parameters<typeof displayStatus>[0],
      now
    )
    if (shown === 'down') {
      counts.down += 1
    } else if (shown === 'grace') {
      counts.grace += 1
    }
  }
  return counts
}

export function badgeState(counts: { grace: number; down: number }, withLate: boolean): BadgeState {
  if (counts.down > 0) {
    return 'down'
  }
  return counts.grace > 0 && withLate ? 'late' : 'up'
}

const COLORS: Record<BadgeState, { hex: string; shields: string }> = {
  up: { hex: '#4c1', shields: 'success' },
  late: { hex: '#fe7d37', shields: 'important' },
  down: { hex: '#e05d44', shields: 'critical' },
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A flat badge: the label on grey, the state in its colour; widths from a per-character estimate. */
export function badgeSvg(label: string, state: BadgeState) {
  const width = (text: string) => Math.round(text.length * 6.5 + 10)
  const left = width(label)
  const right = width(state)
  const total = left + right
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${escapeXml(label)}: ${state}">
<title>${escapeXml(label)}: ${state}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<rect rx="3" width="${total}" height="20" fill="#555"/>
<rect rx="3" x="${left}" width="${right}" height="20" fill="${COLORS[state].hex}"/>
<rect rx="3" width="${total}" height="20" fill="url(#s)"/>
<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${escapeXml(label)}</text>
<text x="${left + right / 2}" y="14">${state}</text>
</g>
</svg>`
}

export function shieldsJson(label: string, state: BadgeState) {
  return { schemaVersion: 1, label, message: state, color: COLORS[state].shields }
}

/** The label a badge shows: the tag, or the Project's name for all its Tokens. */
export function badgeLabel(project: Project, tag: string) {
  return tag === ALL_TAG ? project.name : tag
}
