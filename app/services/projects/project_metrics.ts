import { Secret } from '@adonisjs/core/helpers'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import type Project from '#models/project'
import { displayStatus } from '#models/token_state'
import { uniqueKeyOf } from '#lib/uuid'

/**
 * A Project's Prometheus endpoint, with the series and labels healthchecks exports, so
 * its dashboards and alert rules work unchanged. Read with a read-only API key of the
 * Project, in the URL as healthchecks has it.
 */

/** True when `key` is a read-only API key of this Project (a read-write one is refused). */
export async function isReadOnlyKeyOf(project: Project, key: string) {
  const verified = await User.apiKeys.verify(new Secret(key)).catch(() => null)
  if (!verified || verified.allows('write')) {
    return false
  }
  const row = await db
    .from('api_keys')
    .where('id', Number(verified.identifier))
    .select('project_id')
    .first()
  return row?.project_id === project.id
}

const escape = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

function family(lines: string[], name: string, help: string) {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`)
}

export async function projectMetrics(project: Project, now = new Date()) {
  const rows = await db
    .from('tokens')
    .where('project_id', project.id)
    .orderBy('id')
    .select('uuid', 'name', 'tags', 'status', 'last_start_at', 'alert_after', 'grace')
  const tokens = rows.map((row) => {
    const shown = displayStatus(
      {
        status: row.status,
        lastStartAt: row.last_start_at,
        alertAfter: row.alert_after,
        grace: row.grace,
      } as Parameters<typeof displayStatus>[0],
      now
    )
    return {
      ...row,
      tags: row.tags as string[],
      down: shown === 'down',
      started: !!row.last_start_at,
    }
  })
  const lines: string[] = []
  const labels = (t: (typeof tokens)[number]) =>
    `name="${escape(t.name)}",tags="${escape(t.tags.join(' '))}",unique_key="${uniqueKeyOf(t.uuid)}"`
  family(lines, 'hc_check_up', 'Whether the check is currently up (1 for yes, 0 for no).')
  tokens.forEach((t) => lines.push(`hc_check_up{${labels(t)}} ${t.down ? 0 : 1}`))
  family(lines, 'hc_check_started', 'Whether the check is currently started (1 for yes, 0 for no).')
  tokens.forEach((t) => lines.push(`hc_check_started{${labels(t)}} ${t.started ? 1 : 0}`))

  const byTag = new Map<string, { total: number; down: number }>()
  for (const t of tokens) {
    for (const tag of t.tags) {
      const entry = byTag.get(tag) ?? { total: 0, down: 0 }
      entry.total += 1
      entry.down += t.down ? 1 : 0
      byTag.set(tag, entry)
    }
  }
  const tags = [...byTag.keys()].sort()
  family(lines, 'hc_tag_up', 'Whether all checks with this tag are up (1 for yes, 0 for no).')
  tags.forEach((tag) =>
    lines.push(`hc_tag_up{tag="${escape(tag)}"} ${byTag.get(tag)!.down ? 0 : 1}`)
  )
  family(lines, 'hc_tag_total', 'Total number of checks with this tag.')
  tags.forEach((tag) => lines.push(`hc_tag_total{tag="${escape(tag)}"} ${byTag.get(tag)!.total}`))
  family(lines, 'hc_checks_total', 'The total number of checks.')
  lines.push(`hc_checks_total ${tokens.length}`)
  family(lines, 'hc_checks_down_total', 'The number of checks currently down.')
  lines.push(`hc_checks_down_total ${tokens.filter((t) => t.down).length}`)
  return lines.join('\n') + '\n'
}
