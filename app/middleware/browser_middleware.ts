import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { isMachinePath } from '#lib/machine_paths'

/**
 * Sessions and CSRF protection for the admin UI only: a session for every
 * API call, health check or scrape would fill Redis with sessions nobody
 * uses.
 */
@inject()
export default class BrowserMiddleware {
  constructor(
    protected session: SessionMiddleware<any>,
    protected shield: ShieldMiddleware
  ) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (isMachinePath(ctx.request.url())) {
      return next()
    }
    return this.session.handle(ctx, () => this.shield.handle(ctx, next))
  }
}
