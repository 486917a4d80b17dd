import type Channel from '#models/channel'
import { BaseTransformer } from '@adonisjs/core/transformers'

/** What stands in place of a credential a read-only key may not see */
export const HIDDEN = '********'

/** Config fields that are secrets in themselves (an ntfy topic is, on a public server) */
const SECRET_FIELDS = ['token', 'topic']

/**
 * A Channel's config without its credentials: tokens, ntfy topics and header
 * values hidden, URLs cut to their origin (a Slack or webhook URL's path is
 * often the secret itself).
 */
export function redactedConfig(config: Record<string, unknown>) {
  const redacted: Record<string, unknown> = { ...config }
  for (const field of SECRET_FIELDS) {
    if (typeof redacted[field] === 'string') {
      redacted[field] = HIDDEN
    }
  }
  if (redacted.headers && typeof redacted.headers === 'object') {
    redacted.headers = Object.fromEntries(
      Object.keys(redacted.headers).map((name) => [name, HIDDEN])
    )
  }
  if (typeof redacted.url === 'string') {
    const url = new URL(redacted.url)
    redacted.url = url.pathname === '/' && !url.search ? url.origin : `${url.origin}/…`
  }
  return redacted
}

export default class ChannelTransformer extends BaseTransformer<Channel> {
  toObject() {
    const channel = this.resource
    return {
      id: channel.id,
      kind: channel.kind,
      name: channel.name,
      config: channel.config,
      last_error: channel.lastError ?? null,
      last_notify_at: channel.lastNotifyAt?.toUTC().toISO() ?? null,
      created_at: channel.createdAt.toUTC().toISO(),
    }
  }

  /** For read-only API keys, which must not learn credentials to other systems */
  toRedacted() {
    return { ...this.toObject(), config: redactedConfig(this.resource.config) }
  }
}
