import type { AlertMessage } from '#services/notifications/message'

export type Escape = 'none' | 'json' | 'url'

/**
 * Placeholders a webhook's URL, headers and body may use, as healthchecks does.
 */
function values(message: AlertMessage): Record<string, string> {
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
  }
}

function escape(value: string, how: Escape) {
  if (how === 'url') {
    return encodeURIComponent(value.toWellFormed())
  }
  // Inside a JSON string: the value's JSON form without its quotes.
  return how === 'json' ? JSON.stringify(value).slice(1, -1) : value
}

/**
 * Replaces `$NAME`, `$STATUS`, ... in a template. Longer names win, so
 * `$OLD_STATUS` is not read as `$OLD` + `_STATUS`.
 */
export function renderTemplate(template: string, message: AlertMessage, how: Escape = 'none') {
  const table = values(message)
  const names = Object.keys(table).sort((a, b) => b.length - a.length)
  const pattern = new RegExp(`\\$(${names.join('|')})`, 'g')
  return template.replace(pattern, (_, name: string) => escape(table[name], how))
}
