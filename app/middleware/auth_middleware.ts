import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { errors } from '@adonisjs/auth'

/**
 * Lets through signed-in, enabled users only.
 */
export default class AuthMiddleware {
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    if (ctx.auth.user?.isDisabled) {
      throw new errors.E_UNAUTHORIZED_ACCESS('Account disabled', {
        guardDriverName: ctx.auth.authenticatedViaGuard === 'api' ? 'access_tokens' : 'session',
        redirectTo: this.redirectTo,
      })
    }
    return next()
  }
}
