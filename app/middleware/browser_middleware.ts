import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { errors as shieldErrors } from '@adonisjs/shield'
import { formExpired } from '#exceptions/form_expired'
import { isMachinePath } from '#lib/machine_paths'

/**
 * Sessions and CSRF protection for the admin UI only: a session for every
 * API call, health check or scrape would fill Redis with sessions nobody
 * uses. A refused CSRF token is answered here, inside the session, so
 * that what the form held is flashed back (an error thrown past the
 * session middleware would skip saving the session).
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
    return this.session.handle(ctx, () => this.#guarded(ctx, next))
  }

  async #guarded(ctx: HttpContext, next: NextFn) {
    try {
      return await this.shield.handle(ctx, next)
    } catch (error) {
      if (error instanceof shieldErrors.E_BAD_CSRF_TOKEN) {
        return formExpired(ctx)
      }
      throw error
    }
  }
}
