import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Sends signed-in people from the sign-in page to the dashboard. A disabled
 * User's session does not count, or the two middleware would redirect in a loop.
 */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const web = ctx.auth.use('web')
    if ((await web.check()) && !web.user?.isDisabled) {
      return ctx.response.redirect('/')
    }
    return next()
  }
}
