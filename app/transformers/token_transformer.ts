import type Token from '#models/token'
import config from '@adonisjs/core/services/config'
import { BaseTransformer } from '@adonisjs/core/transformers'
import { answer, dateTime, nullable, uuid } from '#services/api_docs/schema_types'
import { requestSchema } from '#services/api_docs/request_schema'
import { updateTokenValidator } from '#validators/token'
import { STATUSES } from '#validators/list_query'
import { EXAMPLE_UUID } from '#services/api_docs/schema_text'

export function pingUrlOf(token: Pick<Token, 'uuid'>) {
  return `${config.get<string>('ngip.pingUrl')}/ping/${token.uuid}`
}

/** The Token's email ping address, or null while email pings are off (no PING_EMAIL_DOMAIN) */
export function pingEmailOf(token: Pick<Token, 'uuid'>) {
  const domain = config.get<string>('ngip.pingEmailDomain', '')
  return domain ? `${token.uuid}@${domain}` : null
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
      methods: token.methods,
      filter_subject: token.filterSubject,
      filter_body: token.filterBody,
      start_kw: token.startKw,
      success_kw: token.successKw,
      failure_kw: token.failureKw,
      consecutive_fails: token.consecutiveFails,
      n_pings: token.nPings,
      last_ping_at: token.lastPingAt?.toUTC().toISO() ?? null,
      last_duration_ms: token.lastDurationMs ?? null,
      ping_url: pingUrlOf(token),
      ping_email: pingEmailOf(token),
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

/** Fields stored as the validator let them in: the answer keeps its limits */
const taken = requestSchema(updateTokenValidator).properties

/** The API document's Token: what `toObject` returns */
export const tokenSchema = answer<ReturnType<TokenTransformer['toObject']>>({
  id: uuid,
  name: { type: 'string', example: 'db-backup' },
  slug: taken.slug,
  tags: { type: 'array', items: { type: 'string' }, example: ['prod'] },
  desc: taken.desc,
  kind: taken.kind,
  timeout: taken.timeout,
  grace: taken.grace,
  schedule: taken.schedule,
  tz: taken.tz,
  status: { type: 'string', enum: [...STATUSES], example: 'up' },
  manual_resume: taken.manual_resume,
  max_runtime: taken.max_runtime,
  min_interval: taken.min_interval,
  min_duration: taken.min_duration,
  fail_threshold: taken.fail_threshold,
  methods: taken.methods,
  filter_subject: taken.filter_subject,
  filter_body: taken.filter_body,
  start_kw: taken.start_kw,
  success_kw: taken.success_kw,
  failure_kw: taken.failure_kw,
  consecutive_fails: {
    type: 'integer',
    description: 'Failures in a row since the last success (down at `fail_threshold`)',
    example: 0,
  },
  n_pings: { type: 'integer', description: 'Every Ping ever stored', example: 42 },
  last_ping_at: nullable(dateTime),
  last_duration_ms: nullable({ type: 'integer', example: 42000 }),
  ping_url: {
    type: 'string',
    format: 'uri',
    example: `https://ping.example.com/ping/${EXAMPLE_UUID}`,
  },
  ping_email: nullable({
    type: 'string',
    format: 'email',
    description: 'Mail to this address pings the Token (email pings); null while they are off',
    example: `${EXAMPLE_UUID}@ping.example.com`,
  }),
  channels: { type: 'array', items: uuid, description: 'Ids of your Channels this Token alerts' },
  depends_on: taken.depends_on,
  maintenance_schedule: taken.maintenance_schedule,
  maintenance_minutes: taken.maintenance_minutes,
  maintenance_tz: taken.maintenance_tz,
  snoozed_until: {
    ...nullable(dateTime),
    description: 'End of the ad hoc maintenance window (snooze), while one is open',
  },
  in_maintenance_until: {
    ...nullable(dateTime),
    description: 'End of the maintenance window (snooze or scheduled) the Token is in now',
  },
  created_at: dateTime,
})
