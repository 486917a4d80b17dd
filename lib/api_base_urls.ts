/**
 * CHANNEL_API_BASE_URLS: `host=base URL` pairs, comma-separated; a malformed one stops the boot.
 */
export function parseApiBaseUrls(setting: string): Record<string, string> {
  const bases: Record<string, string> = {}
  for (const pair of setting.split(',').map((entry) => entry.trim())) {
    if (pair === '') {
      continue
    }
    const at = pair.indexOf('=')
    const host = at > 0 ? pair.slice(0, at).trim().toLowerCase() : ''
    const base = pair.slice(at + 1).trim()
    if (!host || !URL.canParse(base) || !['http:', 'https:'].includes(new URL(base).protocol)) {
      throw new Error(
        `CHANNEL_API_BASE_URLS: "${pair}" is not <service host>=<http(s) base URL>, ` +
          'e.g. api.telegram.org=http://bot-api:8081'
      )
    }
    bases[host] = base.replace(/\/+$/, '')
  }
  return bases
}
