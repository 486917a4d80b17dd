import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { contentSecurityPolicy, referrerPolicy } from '#config/shield'

const policy = Object.entries(contentSecurityPolicy)
  .map(([directive, sources]) => [directive, ...sources].join(' '))
  .join('; ')

/**
 * Referrer-Policy and Content-Security-Policy on every response: the API,
 * files and a page for an unknown path too, which Shield (admin routes only)
 * never sees.
 */
export default class SecurityHeadersMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.response.header('Referrer-Policy', referrerPolicy)
    // On the Node response, where Shield writes its policy with the nonce
    // over this one; a header set through ctx.response would win over Shield's.
    ctx.response.response.setHeader('Content-Security-Policy', policy)
    return next()
  }
}
