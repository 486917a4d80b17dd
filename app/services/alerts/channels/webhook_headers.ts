import vine from '@vinejs/vine'
import { text } from '#validators/rules'
import { fieldError } from '#validators/field_error'

/**
 * A webhook's headers: their rule, their limits, and how the Channel form
 * writes them (one "Name: value" a line).
 */

/**
 * What a webhook may hold, written once for the validator, its messages and
 * the API document: how many headers, how long a header's name and value,
 * how long the body template.
 */
export const WEBHOOK_LIMITS = { headers: 20, headerName: 64, headerValue: 1000, body: 10_000 }

/** An HTTP header name: RFC 9110 token characters */
export const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const HEADER_NAME_RULE = `1 to ${WEBHOOK_LIMITS.headerName} letters, digits and ! # $ % & ' * + - . ^ _ \` | ~`

/** No control characters but tabs: a value is one line */
const ONE_LINE_RE = /^(?:\t|\P{Cc})*$/u

export const headersRule = () =>
  vine
    .record(
      text()
        .maxLength(WEBHOOK_LIMITS.headerValue)
        .regex(ONE_LINE_RE)
        .meta({ description: 'One line: no control characters but tabs' })
    )
    .maxLength(WEBHOOK_LIMITS.headers)
    .validateKeys((names, field) => {
      const bad = names.find(
        (name) => name.length > WEBHOOK_LIMITS.headerName || !HEADER_NAME_RE.test(name)
      )
      if (bad !== undefined) {
        const shown = bad.slice(0, WEBHOOK_LIMITS.headerName).toWellFormed()
        field.report(
          `A header name has ${HEADER_NAME_RULE} ("${shown}" does not)`,
          'headerName',
          field
        )
      }
    })

/** What the key check (validateKeys) allows, which VineJS cannot print for the document */
export const HEADER_NAMES_SCHEMA = {
  pattern: HEADER_NAME_RE.source,
  maxLength: WEBHOOK_LIMITS.headerName,
}

export const headersMessages = {
  'headers.record.maxLength': `A webhook has at most ${WEBHOOK_LIMITS.headers} headers`,
  'headers.*.maxLength': `A header value has at most ${WEBHOOK_LIMITS.headerValue} characters`,
  'headers.*.regex': 'A header value is one line, without control characters',
  'headers.*.wellFormed':
    'A header value must be valid Unicode text (it holds a lone UTF-16 surrogate)',
}

export function parseHeaders(input: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of input.split(/\r?\n/)) {
    if (!line.trim()) {
      continue
    }
    const at = line.indexOf(':')
    if (at < 1) {
      throw fieldError('config.headers', 'Write one header a line, as Name: value', 'headers')
    }
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return headers
}

export function formatHeaders(headers: unknown): string {
  if (!headers || typeof headers !== 'object') {
    return ''
  }
  return Object.entries(headers as Record<string, string>)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
}
