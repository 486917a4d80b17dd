import type Token from '#models/token'
import config from '@adonisjs/core/services/config'
import { BaseTransformer } from '@adonisjs/core/transformers'

export function pingUrlOf(token: Pick<Token, 'uuid'>) {
  return `${config.get<string>('ngip.pingUrl')}/ping/${token.uuid}`
}

function iso(moment: Token['snoozeUntil']) {
  return moment && moment.toMillis() > Date.now() ? moment.toUTC().toISO() : null
}

export default class TokenTransformer extends BaseTransformer<Token> {
  toObject() {
    const token = this.resource
    return {
      id: token.uuid,
      name: token.name,
      slug: token.slug,
      tags: token.tags,
      desc: token.desc,
      kind: token.kind,
      timeout: token.timeout,
      grace: token.grace,
      schedule: token.schedule,
      tz: token.tz,
      status: token.displayStatus(),
      manual_resume: token.manualResume,
      max_runtime: token.maxRuntime ?? null,
      min_interval: token.minInterval ?? null,
      min_duration: token.minDuration ?? null,
      fail_threshold: token.failThreshold,
      consecutive_fails: token.consecutiveFails,
      n_pings: token.nPings,
      last_ping_at: token.lastPingAt?.toUTC().toISO() ?? null,
      last_duration_ms: token.lastDurationMs ?? null,
      ping_url: pingUrlOf(token),
      channels: token.$preloaded.channels ? token.channels.map((channel) => channel.id) : [],
      depends_on: token.$preloaded.parents ? token.parents.map((parent) => parent.uuid) : [],
      maintenance_schedule: token.maintenanceSchedule || null,
      maintenance_minutes: token.maintenanceMinutes,
      maintenance_tz: token.maintenanceTz,
      snoozed_until: iso(token.snoozeUntil),
      in_maintenance_until: token.maintenanceEnd()?.toISOString() ?? null,
      created_at: token.createdAt.toUTC().toISO(),
    }
  }
}
