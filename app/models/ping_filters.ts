import type { PingAction } from '#lib/ping_message'
import { EMAIL_METHOD, splitEmailPingBody } from '#lib/email_ping'

/**
 * A Token's ping filters, as healthchecks has them: an HTTP method filter
 * (`methods: 'POST'`: only POST pings count) and keyword filters on the
 * body (and, for email pings, the subject). Pure, as token_state.ts is; the
 * worker reads them with the batch's Tokens, so filtering costs no query.
 */
export interface PingFilters {
  /** '' for any method; 'POST' for POST only (GET and HEAD pings are ignored) */
  methods: string
  /** Look for the keywords in an email ping's subject */
  filterSubject: boolean
  /** Look for the keywords in the ping's body */
  filterBody: boolean
  /** Comma-separated keywords, matched case-insensitively */
  startKw: string
  successKw: string
  failureKw: string
}

export const METHODS = ['', 'POST'] as const

/** What the filters look at in one ping; `method` is absent for Pings recorded through the API */
export interface FilteredPing {
  action: PingAction
  method?: string | null
  body?: Buffer | string | null
  subject?: string | null
}

/** A comma-separated keyword list as matched: lowercase, trimmed, no empty entries. */
export function keywords(list: string): string[] {
  return list
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean)
}

function matches(haystack: string, list: string) {
  return keywords(list).some((word) => haystack.includes(word))
}

/** The text the keyword filters look in, lowercased; null when they look nowhere. */
function searchedText(filters: PingFilters, ping: FilteredPing): string | null {
  let subject = ping.subject
  let body = ping.body?.toString()
  if ((subject === null || subject === undefined) && body && isEmail(ping)) {
    // an email ping's body is its subject line, a blank line and its text
    ;({ subject, text: body } = splitEmailPingBody(body))
  }
  const parts: string[] = []
  if (filters.filterSubject && subject) parts.push(subject)
  if (filters.filterBody && body) parts.push(body)
  return filters.filterSubject || filters.filterBody ? parts.join('\n').toLowerCase() : null
}

/**
 * The action a ping counts as, or `ign` when it does not count. A ping of a
 * method the Token does not take is ignored. A success ping is read for
 * keywords in healthchecks' order: a failure keyword makes it a fail, else a
 * success keyword a success, else a start keyword a start; with none found it
 * is ignored when success keywords are set and stays a success when not.
 * Pings that name their kind in the URL (/start, /fail, /log) keep it.
 */
function isEmail(ping: FilteredPing) {
  return ping.method?.toUpperCase() === EMAIL_METHOD
}

export function filteredAction(filters: PingFilters, ping: FilteredPing): PingAction | 'ign' {
  // The method filter is about HTTP: an email ping is neither GET nor POST.
  if (
    filters.methods === 'POST' &&
    ping.method &&
    !isEmail(ping) &&
    ping.method.toUpperCase() !== 'POST'
  ) {
    return 'ign'
  }
  if (ping.action !== 'success') {
    return ping.action
  }
  const text = searchedText(filters, ping)
  if (text === null) {
    return 'success'
  }
  if (matches(text, filters.failureKw)) return 'fail'
  if (matches(text, filters.successKw)) return 'success'
  if (matches(text, filters.startKw)) return 'start'
  return keywords(filters.successKw).length > 0 ? 'ign' : 'success'
}
