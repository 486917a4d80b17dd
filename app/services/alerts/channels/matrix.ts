import { createHash } from 'node:crypto'
import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { subjectOf, textOf, type AlertMessage } from '#services/alerts/message'
import { defineChannelKind, expectOk } from '#services/alerts/channels/kind'
import { channelUrl } from '#services/alerts/channels/fields'

/** A room id, `!opaque:server` (an alias, `#name:server`, is not one) */
const ROOM_RE = /^![^:\s/]+:[^\s/]+$/
/** Sent in a header: printable ASCII, as Matrix access tokens are (`syt_…`) */
const TOKEN_RE = /^[\x21-\x7e]+$/

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The transaction id of a notice: the same for every attempt at one Flip
 * to one room, so a retry after a lost answer is not posted twice (the
 * homeserver answers it with the first event's id), and another for each
 * Flip (its Token, time and new status) and each room.
 */
export function matrixTxnId(room: string, message: AlertMessage) {
  const flip = [room, message.uuid, message.status, message.at.toISOString()].join('\n')
  return `ngip-${createHash('sha256').update(flip).digest('hex').slice(0, 32)}`
}

/** A homeserver's 429 names its wait in the body (`retry_after_ms`) when no Retry-After does */
function bodyRetryAfter(body: string) {
  try {
    const ms = JSON.parse(body)?.retry_after_ms
    return typeof ms === 'number' && ms >= 0 ? ms : undefined
  } catch {
    return undefined
  }
}

export default defineChannelKind({
  name: 'matrix',
  label: 'Matrix',
  sendsTo: (config) => `Matrix room ${config.room}`,
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({ description: 'The homeserver (its client API base)' }),
    token: vine
      .string()
      .trim()
      .maxLength(1000)
      .regex(TOKEN_RE)
      .meta({ description: 'An access token of the account that posts (sent as Bearer)' }),
    room: vine
      .string()
      .trim()
      .maxLength(255)
      .regex(ROOM_RE)
      .meta({ description: 'The room id, !opaque:server; the account must have joined it' }),
  }),
  messages: {
    'token.regex': 'A Matrix access token has printable ASCII characters only, no spaces',
    'token.maxLength': 'A Matrix access token has at most 1000 characters',
    'room.regex':
      'A Matrix room id looks like !abc123:example.org (room settings, Advanced); an alias such as #ops:example.org is not one',
    'room.maxLength': 'A Matrix room id has at most 255 characters',
  },
  example: {
    url: 'https://matrix.example.org',
    token: 'syt_bmdpcA_AbCdEfGhIjKlMnOpQrSt_0a1b2c',
    room: '!QtykxKocfZaZOUrTwp:example.org',
  },
  secrets: { token: 'whole' },
  form: {
    fields: [
      { name: 'url', label: 'Homeserver', input: 'url', placeholder: 'https://' },
      { name: 'token', label: 'Account token', input: 'text', autocomplete: 'off' },
      { name: 'room', label: 'Room id', input: 'text', placeholder: '!abc123:example.org' },
    ],
  },
  /**
   * One m.room.message through the client-server API (spec.matrix.org,
   * "PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}"), as
   * plain text with an HTML twin.
   */
  async send(config, message, options) {
    const plain = textOf(message)
    const subject = subjectOf(message)
    // The first line starts with the subject, in bold in the HTML twin.
    const [first, ...others] = plain.split('\n')
    const html =
      `<strong>${escapeHtml(subject)}</strong>${escapeHtml(first.slice(subject.length))}` +
      others.map((line) => `<br>${escapeHtml(line)}`).join('')
    const body = JSON.stringify({
      msgtype: 'm.text',
      body: plain,
      format: 'org.matrix.custom.html',
      formatted_body: html,
    })
    const url =
      `${String(config.url).replace(/\/+$/, '')}/_matrix/client/v3/rooms/` +
      `${encodeURIComponent(config.room)}/send/m.room.message/` +
      encodeURIComponent(matrixTxnId(config.room, message))
    const headers = {
      'content-type': 'application/json',
      'authorization': `Bearer ${config.token}`,
    }
    const response = await safeRequest({ method: 'PUT', url, headers, body, ...options })
    expectOk(response, 'Matrix', { retryAfterMs: bodyRetryAfter(response.body) })
  },
})
