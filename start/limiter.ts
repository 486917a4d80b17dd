/*
|--------------------------------------------------------------------------
| HTTP rate limiters
|--------------------------------------------------------------------------
*/

import config from '@adonisjs/core/services/config'
import limiter from '@adonisjs/limiter/services/main'

/**
 * REST API requests a minute per API key (see ApiThrottleMiddleware).
 */
export const apiLimiter = () =>
  limiter.use({ requests: config.get<number>('ngip.apiRateLimit'), duration: '1 minute' })

/**
 * Failed sign-ins per email and address, against password guessing. Only
 * failures count and a successful sign-in clears them (SignInService).
 */
export const signInLimiter = () =>
  limiter.use({ requests: 10, duration: '1 minute', blockDuration: '5 minutes' })
