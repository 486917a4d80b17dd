import { SNOOZE_MINUTES, type StreamAction } from '#lib/ping_message'
import { ANY_CASE_UUID_RE, UUID_RE } from '#lib/uuid'

/**
 * The ping URL grammar (SPEC §3), healthchecks.io-compatible:
 *   /ping/<uuid>[/<action>]  and the same at the root: /<uuid>[/<action>]
 *   /ping/<ping-key>/<slug>[/<action>]  (and at the root, as hc-ping.com has it)
 *   /api/push/<uuid>?status=up|down&msg=   (Uptime Kuma push form)
 *   action = start | fail | log | <exit status 0..255>
 *          | snooze  (ngip's own: `?minutes=` 0..10080, default 60; 0 ends a snooze)
 * Pure: the edge and the tests share it; it never looks anything up.
 */
export type PingTarget =
  { kind: 'uuid'; uuid: string } | { kind: 'slug'; pingKey: string; slug: string }

export interface PingRoute {
  target: PingTarget
  action: StreamAction
  exitStatus: number | null
  rid: string | null
  /** Slug form with `?create=1`: provision the Token on its first ping */
  create: boolean
  /** Uptime Kuma's `msg`, kept as the body when the request has none */
  message: string | null
  /** A snooze's length in minutes; null for every other action */
  snoozeMinutes: number | null
}

export type PingUrlError = 'not_found' | 'invalid_url' | 'invalid_uuid'
export type ParsedPingUrl = { route: PingRoute; error?: never } | { error: PingUrlError }

const MAX_PATH = 512
const PING_KEY_RE = /^[A-Za-z0-9_-]{1,64}$/
const SLUG_RE = /^[a-z0-9_-]{1,100}$/
const UPPERCASE_SLUG_RE = /^[A-Za-z0-9_-]{1,100}$/
// Any run of digits is an exit status (healthchecks' `<int:…>`): above 255 it is a 400.
const EXIT_RE = /^[0-9]+$/

type Action = { action: StreamAction; exitStatus: number | null } | PingUrlError

/**
 * The Ping an exit status makes, for the edge's URL and the API's
 * exit_status alike: 0 is a success, anything else a failure.
 */
export function exitStatusAction(code: number): 'success' | 'fail' {
  return code === 0 ? 'success' : 'fail'
}

function parseAction(segment: string | undefined): Action {
  if (segment === undefined) {
    return { action: 'success', exitStatus: null }
  }
  if (segment === 'start' || segment === 'fail' || segment === 'log' || segment === 'snooze') {
    return { action: segment, exitStatus: null }
  }
  if (!EXIT_RE.test(segment)) {
    return 'not_found'
  }
  const code = Number(segment)
  if (code > 255) {
    return 'invalid_url'
  }
  return { action: exitStatusAction(code), exitStatus: code }
}

function slugTarget(pingKey: string, slug: string): PingTarget | PingUrlError {
  if (!PING_KEY_RE.test(pingKey)) {
    return 'not_found'
  }
  if (SLUG_RE.test(slug)) {
    return { kind: 'slug', pingKey, slug }
  }
  // Slugs are lowercase; an uppercase one is a malformed URL, not a missing Token.
  return UPPERCASE_SLUG_RE.test(slug) ? 'invalid_url' : 'not_found'
}

/**
 * The target and the action segment of a path, or why there is none.
 */
function splitPath(parts: string[]): { target: PingTarget; action?: string } | PingUrlError {
  if (parts.length === 1) {
    return UUID_RE.test(parts[0]) ? { target: { kind: 'uuid', uuid: parts[0] } } : 'not_found'
  }
  if (parts.length === 2 && UUID_RE.test(parts[0])) {
    // "/<uuid>/<word>" that is no action reads as a ping key and slug, which fails as 404.
    const action = parseAction(parts[1])
    if (action !== 'not_found') {
      return { target: { kind: 'uuid', uuid: parts[0] }, action: parts[1] }
    }
  }
  if (parts.length === 2 || parts.length === 3) {
    const target = slugTarget(parts[0], parts[1])
    return typeof target === 'string' ? target : { target, action: parts[2] }
  }
  return 'not_found'
}

function parseRid(query: URLSearchParams): string | null | PingUrlError {
  const rid = query.get('rid')
  // An empty `?rid=` (a script's unset variable) is no run id, as healthchecks reads it.
  if (rid === null || rid === '') {
    return null
  }
  return ANY_CASE_UUID_RE.test(rid) ? rid.toLowerCase() : 'invalid_uuid'
}

function parseMinutes(value: string | null): number | null {
  if (value === null || value === '') {
    return SNOOZE_MINUTES.default
  }
  const minutes = EXIT_RE.test(value) ? Number(value) : Number.NaN
  return minutes <= SNOOZE_MINUTES.max ? minutes : null
}

function parseKumaPush(uuid: string, query: URLSearchParams): ParsedPingUrl {
  if (!UUID_RE.test(uuid)) {
    return { error: 'not_found' }
  }
  // Uptime Kuma: "up" (the default) is a success, any other status is down.
  const status = query.get('status') ?? 'up'
  return {
    route: {
      target: { kind: 'uuid', uuid },
      action: status === 'up' ? 'success' : 'fail',
      exitStatus: null,
      rid: null,
      create: false,
      message: query.get('msg'),
      snoozeMinutes: null,
    },
  }
}

export function parsePingUrl(rawPath: string, query: URLSearchParams): ParsedPingUrl {
  if (rawPath.length > MAX_PATH || rawPath[0] !== '/') {
    return { error: 'not_found' }
  }
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath
  const parts = path.slice(1).split('/')
  if (parts[0] === 'api' && parts[1] === 'push' && parts.length === 3) {
    return parseKumaPush(parts[2], query)
  }
  const split = splitPath(parts[0] === 'ping' ? parts.slice(1) : parts)
  if (typeof split === 'string') {
    return { error: split }
  }
  const action = parseAction(split.action)
  if (typeof action === 'string') {
    return { error: action }
  }
  const rid = parseRid(query)
  if (rid === 'invalid_uuid') {
    return { error: rid }
  }
  const create = split.target.kind === 'slug' && query.get('create') === '1'
  let snoozeMinutes: number | null = null
  if (action.action === 'snooze') {
    snoozeMinutes = parseMinutes(query.get('minutes'))
    if (snoozeMinutes === null) {
      return { error: 'invalid_url' }
    }
  }
  return { route: { target: split.target, ...action, rid, create, message: null, snoozeMinutes } }
}
