import { defineConfig } from '@adonisjs/shield'

/**
 * The Content-Security-Policy of every response: scripts, styles, images and
 * connections from this app only (Alpine runs as its CSP build, so no
 * `unsafe-eval`, and no page has inline script or style), never framed, forms
 * posted here only. The security headers middleware sends it on every
 * response; on admin UI pages Shield replaces it with the same policy plus
 * the response's nonce (`cspNonce` in views), which the debug error page uses.
 */
export const contentSecurityPolicy = {
  'default-src': [`'self'`],
  'script-src': [`'self'`],
  'style-src': [`'self'`],
  'img-src': [`'self'`],
  'object-src': [`'none'`],
  'base-uri': [`'self'`],
  'frame-ancestors': [`'none'`],
  'form-action': [`'self'`],
}

/** Links to other sites do not tell them which page of ngip they came from. */
export const referrerPolicy = 'same-origin'

const shieldConfig = defineConfig({
  csp: {
    enabled: true,
    directives: {
      ...contentSecurityPolicy,
      'script-src': [...contentSecurityPolicy['script-src'], '@nonce'],
      'style-src': [...contentSecurityPolicy['style-src'], '@nonce'],
    },
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    /**
     * The REST API authenticates with API keys, never with cookies.
     */
    exceptRoutes: (ctx) => ctx.request.url().startsWith('/api/'),
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: {
    enabled: true,
    action: 'DENY',
  },
  hsts: {
    enabled: true,
    maxAge: '180 days',
  },
  contentTypeSniffing: {
    enabled: true,
  },
})

export default shieldConfig
