import { DateTime } from 'luxon'

/**
 * How the admin UI writes times, durations and schedules. Pure functions,
 * shared with Edge templates as globals (start/view.ts).
 */
type Moment = DateTime | Date | string | null | undefined

const UNITS = [
  { seconds: 86_400, short: 'day', plural: 'days' },
  { seconds: 3600, short: 'h', plural: 'h' },
  { seconds: 60, short: 'min', plural: 'min' },
] as const

function toDateTime(value: Moment): DateTime | null {
  if (!value) {
    return null
  }
  if (DateTime.isDateTime(value)) {
    return value
  }
  return value instanceof Date ? DateTime.fromJSDate(value) : DateTime.fromISO(value)
}

/**
 * "just now", "3 min ago", "5 h ago", "2 days ago"; "in 3 min" for the future.
 */
export function ago(value: Moment, now: Date = new Date()): string {
  const at = toDateTime(value)
  if (!at) {
    return 'never'
  }
  const diff = Math.round((now.getTime() - at.toMillis()) / 1000)
  const seconds = Math.abs(diff)
  if (seconds < 45) {
    return 'just now'
  }
  const unit = UNITS.find((u) => seconds >= u.seconds * 0.95) ?? UNITS[2]
  const count = Math.max(1, Math.round(seconds / unit.seconds))
  const text = `${count} ${count === 1 ? unit.short : unit.plural}`
  return diff >= 0 ? `${text} ago` : `in ${text}`
}

/**
 * The exact moment, in UTC unless a time zone is given.
 */
export function exactTime(value: Moment, zone = 'UTC'): string {
  const at = toDateTime(value)
  return at ? at.setZone(zone).toFormat('yyyy-LL-dd HH:mm:ss ZZZZ') : ''
}

/**
 * A run's length: "850 ms", "12.4 s", "3 min 20 s", "2 h 5 min".
 */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return ''
  }
  if (ms < 1000) {
    return `${ms} ms`
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`
  }
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) {
    const seconds = Math.round((ms % 60_000) / 1000)
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`
  }
  const rest = minutes % 60
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${Math.floor(minutes / 60)} h`
}

/**
 * A period in seconds, in the largest unit that divides it: "1 day", "90 min".
 */
export function period(seconds: number): string {
  const unit = UNITS.find((u) => seconds % u.seconds === 0)
  if (!unit) {
    return `${seconds} s`
  }
  const count = seconds / unit.seconds
  const name = unit.short === 'day' && count !== 1 ? 'days' : unit.short
  return `${count} ${name}`
}

/**
 * A Token's schedule in one line: "every 1 h", "0 3 * * * (Europe/Paris)" or
 * "OnCalendar Mon..Fri 09:00 (Europe/Paris)".
 */
export function schedule(token: { kind: string; timeout: number; schedule: string; tz: string }) {
  if (token.kind === 'oncalendar') {
    return `OnCalendar ${token.schedule} (${token.tz})`
  }
  return token.kind === 'cron'
    ? `${token.schedule} (${token.tz})`
    : `every ${period(token.timeout)}`
}

/**
 * A Token's run rules in one line: "runs at most 30 min, at least 10 s apart, last 1 min".
 */
export function runRules(token: {
  maxRuntime: number | null
  minInterval: number | null
  minDuration: number | null
}) {
  const parts = [
    token.maxRuntime === null ? null : `runs at most ${period(token.maxRuntime)}`,
    token.minInterval === null ? null : `successes at least ${period(token.minInterval)} apart`,
    token.minDuration === null ? null : `runs last at least ${period(token.minDuration)}`,
  ]
  return parts.filter(Boolean).join(', ')
}

/**
 * A Token's ping filters in one line: "POST only; body: failure error, fatal"; empty for none.
 */
export function pingFilters(token: {
  methods: string
  filterSubject: boolean
  filterBody: boolean
  startKw: string
  successKw: string
  failureKw: string
}) {
  const parts = token.methods === 'POST' ? ['POST only'] : []
  const places = [token.filterBody && 'body', token.filterSubject && 'subject'].filter(Boolean)
  const lists = [
    token.failureKw && `failure ${token.failureKw}`,
    token.successKw && `success ${token.successKw}`,
    token.startKw && `start ${token.startKw}`,
  ].filter(Boolean)
  if (places.length > 0 && lists.length > 0) {
    parts.push(`${places.join(' and ')}: ${lists.join('; ')}`)
  }
  return parts.join('; ')
}

/**
 * Failures in a row against the Token's threshold: "2 of 3 failures".
 */
export function failCount(token: { consecutiveFails: number; failThreshold: number }) {
  const { consecutiveFails: count, failThreshold: threshold } = token
  if (count >= threshold && threshold > 1) {
    return `${count} failures in a row (down at ${threshold})`
  }
  return count < threshold
    ? `${count} of ${threshold} failures`
    : `${count} failure${count === 1 ? '' : 's'} in a row`
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * HTML of an email, URL or command line that a narrow screen may wrap only
 * between its parts: after a slash, `?` or `&`, before an `@` or a dot
 * (<wbr>), never inside a word. Output it unescaped: it is escaped here.
 */
export function softBreaks(value: string): string {
  return String(value)
    .split(/(?<=[/?&])(?![/?&])|(?=[@.])/)
    .map((part) => part.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]))
    .join('<wbr>')
}

/**
 * JSON safe to put inside a <script> element.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

/**
 * A crontab schedule that fits the Token: its own for cron, else the
 * nearest common one to its period.
 */
export function crontabSchedule(token: { kind: string; timeout: number; schedule: string }) {
  if (token.kind === 'cron') {
    return token.schedule
  }
  if (token.kind === 'oncalendar') {
    // an OnCalendar expression has no cron spelling in general: a daily run to edit
    return '0 3 * * *'
  }
  const minutes = Math.round(token.timeout / 60)
  if (minutes < 60) {
    return minutes <= 1 ? '* * * * *' : `*/${minutes} * * * *`
  }
  const hours = Math.round(minutes / 60)
  if (hours < 24) {
    return hours === 1 ? '0 * * * *' : `0 */${hours} * * *`
  }
  return '0 3 * * *'
}
