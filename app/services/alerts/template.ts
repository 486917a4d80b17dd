import { downFor, type AlertMessage } from '#services/alerts/message'

export type Escape = 'none' | 'json' | 'url'

/**
 * Placeholders a webhook's URL, headers and body may use, as healthchecks does.
 */
export const PLACEHOLDERS = [
  'NAME',
  'SLUG',
  'UUID',
  'STATUS',
  'OLD_STATUS',
  'REASON',
  'NOW',
  'TAGS',
  'DESC',
  'BODY',
  'EXIT_STATUS',
  'PING_URL',
  'DOWN_FOR',
] as const
type Placeholder = (typeof PLACEHOLDERS)[number]

function values(message: AlertMessage): Record<Placeholder, string> {
  return {
    NAME: message.name,
    SLUG: message.slug ?? '',
    UUID: message.uuid,
    STATUS: message.status,
    OLD_STATUS: message.oldStatus,
    REASON: message.reason,
    NOW: message.at.toISOString(),
    TAGS: message.tags.join(' '),
    DESC: message.desc,
    BODY: message.body,
    EXIT_STATUS: message.exitStatus === null ? '' : String(message.exitStatus),
    PING_URL: message.pingUrl,
    // Set on a reminder only (a Channel's repeat_interval): how long the Token has been down
    DOWN_FOR: downFor(message),
  }
}

/** Longer names first, so `$OLD_STATUS` is not read as `$OLD` + `_STATUS` */
const PLACEHOLDER = `\\$(${[...PLACEHOLDERS].sort((a, b) => b.length - a.length).join('|')})`

function escape(value: string, how: Escape) {
  if (how === 'url') {
    return encodeURIComponent(value.toWellFormed())
  }
  // Inside a JSON string: the value's JSON form without its quotes.
  return how === 'json' ? JSON.stringify(value).slice(1, -1) : value
}

/**
 * Replaces `$NAME`, `$STATUS`, ... in a template.
 */
export function renderTemplate(template: string, message: AlertMessage, how: Escape = 'none') {
  const table = values(message)
  return template.replace(new RegExp(PLACEHOLDER, 'g'), (_, name: Placeholder) =>
    escape(table[name], how)
  )
}

/**
 * Fills a JSON template: a placeholder inside a JSON string gets the value
 * escaped for it, one outside any string gets the value as a JSON string.
 */
function fillJson(template: string, valueOf: (name: Placeholder) => string) {
  const placeholder = new RegExp(PLACEHOLDER, 'y')
  let out = ''
  let inString = false
  for (let at = 0; at < template.length;) {
    placeholder.lastIndex = at
    const match = placeholder.exec(template)
    if (match) {
      const json = JSON.stringify(valueOf(match[1] as Placeholder))
      out += inString ? json.slice(1, -1) : json
      at += match[0].length
      continue
    }
    // an escape inside a string is copied whole, so `\"` does not end it
    const step = inString && template[at] === '\\' ? 2 : 1
    if (template[at] === '"') {
      inString = !inString
    }
    out += template.slice(at, at + step)
    at += step
  }
  return out
}

/**
 * A body template is JSON when it is an object or an array once each
 * placeholder is a string: then it is filled with escaped values and stays
 * valid JSON whatever a Token's name holds. Null for any other template.
 */
export function renderJsonTemplate(template: string, message: AlertMessage): string | null {
  if (!/^\s*[[{]/.test(template)) {
    return null
  }
  try {
    JSON.parse(fillJson(template, () => ''))
  } catch {
    return null
  }
  const table = values(message)
  return fillJson(template, (name) => table[name])
}
