import { isChannelKind, channelKind, type ChannelKind } from '#services/alerts/channels/index'
import type { SecretMode } from '#services/alerts/channels/kind'

/** What stands in place of a credential a read-only key may not see */
export const HIDDEN = '********'

function hide(value: unknown, mode: SecretMode) {
  if (mode === 'whole') {
    return typeof value === 'string' ? HIDDEN : value
  }
  if (mode === 'values') {
    return value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).map((name) => [name, HIDDEN]))
      : value
  }
  if (typeof value !== 'string') {
    return value
  }
  const url = new URL(value)
  return url.pathname === '/' && !url.search ? url.origin : `${url.origin}/…`
}

/**
 * A Channel's config without its credentials, as its kind declares them
 * (for read-only API keys, which must not learn credentials to other systems).
 */
export function redactedConfig(kind: ChannelKind, config: Record<string, unknown>) {
  const redacted: Record<string, unknown> = { ...config }
  // A row of a kind this version does not know: nothing in it is known not to be secret.
  const secrets = isChannelKind(kind)
    ? channelKind(kind).secrets
    : Object.fromEntries(Object.keys(config).map((field) => [field, 'whole']))
  for (const [field, mode] of Object.entries(secrets)) {
    if (field in redacted) {
      redacted[field] = hide(redacted[field], mode as SecretMode)
    }
  }
  return redacted
}
