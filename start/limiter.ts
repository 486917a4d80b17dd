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
 * Failed sign-ins per email and address, against password guessing. Only
 * failures count and a successful sign-in clears them (SignInService).
 */
export const signInLimiter = () =>
  limiter.use({ requests: 10, duration: '1 minute', blockDuration: '5 minutes' })
