import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'

/**
 * Paths that never use a session: the REST API (API keys), health checks,
 * metrics and static vendor files. A session per such call would fill Redis
 * with sessions nobody uses.
 */
const SESSIONLESS = ['/api/', '/health/', '/metrics', '/vendor/']

/**
 * Sessions and CSRF protection for the admin UI only.
 */
@inject()
export default class BrowserMiddleware {
  constructor(
    protected session: SessionMiddleware<any>,
    protected shield: ShieldMiddleware
  ) {}

  handle(ctx: HttpContext, next: NextFn) {
    const url = ctx.request.url()
    if (SESSIONLESS.some((prefix) => url.startsWith(prefix))) {
      return next()
    }
    return this.session.handle(ctx, () => this.shield.handle(ctx, next))
  }
}
