import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'
import { cidrMatcher } from '#lib/cidr'

/**
 * Absolute URL of the admin UI and the API, used in emails and printed links.
 */
export const appUrl = env.get('APP_URL', `http://127.0.0.1:${env.get('PORT', 3333)}`)

/**
 * The proxies whose X-Forwarded-* headers are believed (CIDR blocks, none by
 * default): a client that talks to the app directly cannot pick its address,
 * so the sign-in throttle and stored source addresses stay per real client.
 */
const trustedProxy = cidrMatcher(env.get('TRUSTED_PROXIES', ''))

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: false,
  trustProxy: (address) => trustedProxy(address),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction && appUrl.startsWith('https:'),
    sameSite: 'lax',
  },
})

/** Signs badge URLs (one per Project and tag), so one badge's URL reveals no other's. */
export const badgeSigningKey = env.get('APP_KEY').release()
