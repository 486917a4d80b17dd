import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { apiLimiter } from '#start/limiter'

/**
 * Rate limit per API key, with one Redis round trip a request: `consume`
 * throws the limiter's own 429 (with Retry-After) once the key is spent.
 */
export default class ApiThrottleMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const key = ctx.auth.user?.currentAccessToken?.identifier ?? ctx.request.ip()
    const response = await apiLimiter().consume(`api_key:${key}`)
    ctx.response.header('X-RateLimit-Limit', response.limit)
    ctx.response.header('X-RateLimit-Remaining', response.remaining)
    return next()
  }
}
