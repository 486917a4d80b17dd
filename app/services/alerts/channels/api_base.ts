import config from '@adonisjs/core/services/config'

/**
 * The base URL of a kind whose service has a fixed host: the service's own,
 * unless CHANNEL_API_BASE_URLS names another for the kind (a relay, or a
 * local receiver in tests). Without a trailing slash.
 */
export function apiBaseUrl(kind: string, fixed: string) {
  const bases = config.get<Record<string, string>>('ngip.channelApiBaseUrls', {})
  return (bases[kind] ?? fixed).replace(/\/+$/, '')
}
