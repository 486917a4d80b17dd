import type { DateTime } from 'luxon'
import { appUrl } from '#config/app'
import type Token from '#models/token'
import type Ping from '#models/ping'
import type Flip from '#models/flip'
import type Channel from '#models/channel'
import { displayStatus } from '#models/token_state'
import { pingUrlOf } from '#transformers/token_transformer'
import { uniqueKeyOf } from '#lib/uuid'

/*
 * The Management API v3's answers, with healthchecks' field names and types
 * (hc/api/models.py `to_dict`), made from Tokens, Pings, Flips and Channels.
 */

/** Python's `isoformat()` of a UTC moment: `+00:00`, whole seconds unless `withMs` */
export function isoString(moment: DateTime | Date | null | undefined, withMs = false) {
  if (!moment) {
    return null
  }
  const date = moment instanceof Date ? moment : moment.toJSDate()
  const text = date.toISOString()
  return (withMs ? text.slice(0, 23) + '000' : text.slice(0, 19)) + '+00:00'
}

/**
 * healthchecks' statuses: a run in progress is the `started` flag (v3 shows
 * the status under it); ngip's `warning` (a run too soon or too short) is up.
 */
function v3Status(token: Token, now: Date) {
  const shown = displayStatus(
    {
      ...token.$attributes,
      alertAfter: token.alertAfter?.toJSDate() ?? null,
      lastStartAt: null,
    } as Parameters<typeof displayStatus>[0],
    now
  )
  return shown === 'warning' || shown === 'started' ? 'up' : shown
}

/** When the next ping is expected: the grace period starts then. */
function nextPing(token: Token) {
  if (!token.alertAfter || (token.status !== 'up' && token.status !== 'warning')) {
    return null
  }
  return new Date(token.alertAfter.toMillis() - token.grace * 1000)
}

export function siteRoot() {
  return appUrl.replace(/\/$/, '')
}

export function checkDict(token: Token, readonly: boolean, now = new Date()) {
  const result: Record<string, unknown> = {
    name: token.name,
    slug: token.slug ?? '',
    tags: token.tags.join(' '),
    desc: token.desc,
    grace: token.grace,
    n_pings: token.nPings,
    status: v3Status(token, now),
    // a Token just created has no lastStartAt loaded (undefined), as one with no run open (null)
    started: Boolean(token.lastStartAt),
    last_ping: isoString(token.lastPingAt),
    next_ping: isoString(nextPing(token)),
    manual_resume: token.manualResume,
    methods: token.methods,
    subject: token.filterSubject ? token.successKw : '',
    subject_fail: token.filterSubject ? token.failureKw : '',
    start_kw: token.startKw,
    success_kw: token.successKw,
    failure_kw: token.failureKw,
    filter_subject: token.filterSubject,
    filter_body: token.filterBody,
    filter_http_body: token.filterBody,
    filter_default_fail: false,
  }
  if (token.lastDurationMs) {
    result.last_duration = Math.floor(token.lastDurationMs / 1000)
  }
  if (readonly) {
    result.unique_key = uniqueKeyOf(token.uuid)
  } else {
    const updateUrl = `${siteRoot()}/api/v3/checks/${token.uuid}`
    result.uuid = token.uuid
    result.ping_url = pingUrlOf(token)
    result.update_url = updateUrl
    result.pause_url = `${updateUrl}/pause`
    result.resume_url = `${updateUrl}/resume`
    result.channels = token.$preloaded.channels
      ? token.channels
          .map((channel) => channel.id)
          .sort()
          .join(',')
      : ''
  }
  if (token.kind === 'simple') {
    result.timeout = token.timeout
  } else {
    result.schedule = token.schedule
    result.tz = token.tz
  }
  return result
}

/** A Ping as v3 lists it; `n` is the Ping's id, which also names its body. */
export function pingDict(ping: Ping, uuid: string, hasBody: boolean) {
  const result: Record<string, unknown> = {
    type: ping.kind,
    date: isoString(ping.createdAt, true),
    n: ping.id,
    scheme: 'http',
    remote_addr: ping.remoteAddr,
    method: ping.method,
    ua: ping.userAgent,
    rid: ping.rid,
    body_url: hasBody ? `${siteRoot()}/api/v3/checks/${uuid}/pings/${ping.id}/body` : null,
  }
  if (ping.exitStatus !== null) {
    result.exitstatus = ping.exitStatus
  }
  if (ping.durationMs !== null) {
    result.duration = Math.round(ping.durationMs / 10) / 100
  }
  return result
}

export function flipDict(flip: Flip) {
  return { timestamp: isoString(flip.createdAt), up: flip.newStatus === 'up' ? 1 : 0 }
}

export function channelDict(channel: Pick<Channel, 'id' | 'name' | 'kind'>) {
  return { id: channel.id, name: channel.name, kind: channel.kind }
}
