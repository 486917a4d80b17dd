import type { PingAction } from '#lib/ping_message'
import type { PingTarget } from '#lib/ping_url'
import { ANY_CASE_UUID_RE } from '#lib/uuid'

/**
 * The email ping grammar, shared by the SMTP listener (ping/smtpd/) and the
 * worker, healthchecks-compatible:
 *   <uuid>@<PING_EMAIL_DOMAIN>               a success (or what the Token's keywords say)
 *   <uuid>+start|+fail|+log@<domain>          that action
 *   <ping-key>+<slug>[+start|+fail|+log]@<domain>   the slug form
 * Pure: it never looks anything up.
 */
export interface EmailRecipient {
  target: PingTarget
  action: PingAction
}

/** The `method` of a Ping that came by email, as the stream and the pings table carry it. */
export const EMAIL_METHOD = 'EMAIL'

const PING_KEY_RE = /^[A-Za-z0-9_-]{1,64}$/
const SLUG_RE = /^[a-z0-9_-]{1,100}$/
const ACTIONS = new Set(['start', 'fail', 'log'])

function action(part: string | undefined): PingAction | null {
  if (part === undefined) {
    return 'success'
  }
  const lower = part.toLowerCase()
  return ACTIONS.has(lower) ? (lower as PingAction) : null
}

/**
 * The Token and action of one recipient address, or null when the address
 * is not a ping address of `domain` (the listener then answers 550).
 */
export function parseEmailRecipient(address: string, domain: string): EmailRecipient | null {
  const at = address.lastIndexOf('@')
  if (at <= 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) {
    return null
  }
  const parts = address.slice(0, at).split('+')
  if (ANY_CASE_UUID_RE.test(parts[0])) {
    const kind = parts.length <= 2 ? action(parts[1]) : null
    return kind ? { target: { kind: 'uuid', uuid: parts[0].toLowerCase() }, action: kind } : null
  }
  if (parts.length < 2 || parts.length > 3) {
    return null
  }
  const [pingKey, slug] = parts
  const kind = action(parts[2])
  if (!kind || !PING_KEY_RE.test(pingKey) || !SLUG_RE.test(slug)) {
    return null
  }
  return { target: { kind: 'slug', pingKey, slug }, action: kind }
}

const SUBJECT_PREFIX = 'Subject: '

/**
 * The body of an email Ping: the subject line, a blank line, then the
 * message's text (its plain part, or its HTML as text), as a minimal mail
 * itself, so people read it and keyword filters can tell subject from body
 * (`splitEmailPingBody`). Cut to `limit` bytes, the subject first.
 */
export function emailPingBody(subject: string, text: string, limit: number): Buffer {
  const line = subject.replace(/[\r\n]+/g, ' ')
  return Buffer.from(`${SUBJECT_PREFIX}${line}\r\n\r\n${text}`).subarray(0, limit)
}

/** The subject and the text of an email Ping's body (from `emailPingBody`). */
export function splitEmailPingBody(body: string): { subject: string; text: string } {
  if (!body.startsWith(SUBJECT_PREFIX)) {
    return { subject: '', text: body }
  }
  const end = body.indexOf('\r\n\r\n')
  if (end === -1) {
    return { subject: body.slice(SUBJECT_PREFIX.length).replace(/\r?\n?$/, ''), text: '' }
  }
  return { subject: body.slice(SUBJECT_PREFIX.length, end), text: body.slice(end + 4) }
}
