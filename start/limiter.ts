/*
|--------------------------------------------------------------------------
| HTTP rate limiters
|--------------------------------------------------------------------------
*/

import config from '@adonisjs/core/services/config'
import limiter from '@adonisjs/limiter/services/main'

/**
 * REST API requests a minute per API key (runs after authentication).
 */
export const apiThrottle = limiter.define('api', (ctx) => {
  const key = ctx.auth.user?.currentAccessToken?.identifier ?? ctx.request.ip()
  return limiter
    .allowRequests(config.get<number>('ngip.apiRateLimit'))
    .every('1 minute')
    .usingKey(`api_key:${key}`)
})

/**
 * Failed sign-ins per email and address, against password guessing.
 */
export const signInThrottle = limiter.define('sign_in', (ctx) => {
  const email = String(ctx.request.input('email', '')).toLowerCase()
  return limiter
    .allowRequests(10)
    .every('1 minute')
    .blockFor('5 minutes')
    .usingKey(`sign_in:${ctx.request.ip()}:${email}`)
})
