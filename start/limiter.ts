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

type SignInLimit = { requests: number; duration: string; blockDuration: string }

/**
 * Failed sign-ins per email and address, against password guessing. Only
 * failures count and a successful sign-in clears them (SignInService).
 */
export const signInLimiter = () =>
  limiter.use({ ...config.get<SignInLimit>('ngip.signIn.address') })

/** Failed sign-ins per email from any address (config/ngip.ts says why these numbers). */
export const accountSignInLimiter = () =>
  limiter.use({ ...config.get<SignInLimit>('ngip.signIn.account') })
