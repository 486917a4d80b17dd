import type { Authenticator } from '@adonisjs/auth'
import type { Authenticators, GuardFactory } from '@adonisjs/auth/types'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Creates `ctx.auth` for every request, as @adonisjs/auth's own middleware
 * does, but shares it with templates only outside the API: touching
 * `ctx.view` builds a template renderer, which an API call never needs.
 */
export default class InitializeAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const manager = await ctx.containerResolver.make('auth.manager')
    ctx.auth = manager.createAuthenticator(ctx)
    if (!ctx.request.url().startsWith('/api/')) {
      ctx.view.share({ auth: ctx.auth })
    }
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    auth: Authenticator<
      Authenticators extends Record<string, GuardFactory> ? Authenticators : never
    >
  }
}
