/**
 * What `ngip:setup` hands back for the quick start (also as its --json line),
 * and the lines `pnpm start` and `ngip:setup` print from it. Secrets appear
 * only while they still work; the admin's password only on the run that made
 * it (or the first run after an upgrade), as it is never kept on disk.
 */
export interface QuickstartCredentials {
  email: string
  /** Present only on the run that shows it. */
  password?: string
  /** new: made now, shown now; kept: as shown on the first start; changed: by someone in ngip since; unknown: not on record here; deleted: the admin is gone */
  passwordState: 'new' | 'kept' | 'changed' | 'unknown' | 'deleted'
  /** Present only while it still works. */
  apiKey?: string
  apiKeyState: 'new' | 'kept' | 'revoked' | 'none'
  demoPingUrl?: string
}

const APIKEY_HINT = 'make one under API keys, or: pnpm ace apikey:create --email'

function loginLine(c: QuickstartCredentials) {
  switch (c.passwordState) {
    case 'new':
      return `Admin login: ${c.email} / ${c.password}`
    case 'kept':
      return c.password
        ? `Admin login: ${c.email} / ${c.password}`
        : `Admin login: ${c.email} / the password printed on the first start (never stored)`
    case 'changed':
      return `Admin login: ${c.email} / the password was changed in ngip since the first start; use that one`
    case 'unknown':
      return `Admin login: ${c.email} / its password was set before and is not on record here`
    case 'deleted':
      return `Admin login: ${c.email} was deleted; sign in as another admin`
  }
}

function apiKeyLine(c: QuickstartCredentials) {
  switch (c.apiKeyState) {
    case 'new':
    case 'kept':
      return `API key: ${c.apiKey}`
    case 'revoked':
      return `API key: the quick-start key was revoked (${APIKEY_HINT} ${c.email})`
    case 'none':
      return `API key: none on record here (${APIKEY_HINT} ${c.email})`
  }
}

export function quickstartLines(c: QuickstartCredentials): string[] {
  const lines = [loginLine(c), apiKeyLine(c)]
  if (c.demoPingUrl) {
    lines.push(`Demo ping URL: ${c.demoPingUrl}`)
  }
  return lines
}
