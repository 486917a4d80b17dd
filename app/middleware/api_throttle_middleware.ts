import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { LimiterResponse } from '@adonisjs/limiter'
import { apiLimiter } from '#start/limiter'

/** Requests left for each key at its last check in this process */
const lastRemaining = new Map<string, number>()
/** Keys remembered at most; past it the memory starts over */
const REMEMBERED_KEYS = 10_000

/**
 * True when a key was far from its limit at its last check: then a read
 * needs not wait for the limiter before it starts.
 */
function farFromLimit(key: string, limit: number) {
  return (lastRemaining.get(key) ?? 0) > Math.max(10, limit / 10)
}

function remember(key: string, remaining: number) {
  if (lastRemaining.size >= REMEMBERED_KEYS && !lastRemaining.has(key)) {
    lastRemaining.clear()
  }
  lastRemaining.set(key, remaining)
}

/**
 * Rate limit per API key, with one Redis round trip a request: `consume`
 * throws the limiter's own 429 (with Retry-After) once the key is spent.
 *
 * Every request counts and every request past the limit answers 429. A read
 * (GET, HEAD) of a key that had plenty left at its last check runs alongside
 * its check instead of after it, which takes the round trip off the read's
 * time; near the limit, and for writes, the check comes first, so a spent
 * key's writes never run.
 */
export default class ApiThrottleMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const key = `api_key:${ctx.auth.user?.currentAccessToken?.identifier ?? ctx.request.ip()}`
    const limiter = apiLimiter()
    const method = ctx.request.method()
    if ((method === 'GET' || method === 'HEAD') && farFromLimit(key, limiter.requests)) {
      const [checked, handled] = await Promise.allSettled([limiter.consume(key), next()])
      if (checked.status === 'rejected') {
        lastRemaining.delete(key)
        throw checked.reason
      }
      this.#count(ctx, key, checked.value)
      if (handled.status === 'rejected') {
        throw handled.reason
      }
      return
    }
    this.#count(ctx, key, await limiter.consume(key))
    return next()
  }

  #count(ctx: HttpContext, key: string, response: LimiterResponse) {
    remember(key, response.remaining)
    ctx.response.header('X-RateLimit-Limit', response.limit)
    ctx.response.header('X-RateLimit-Remaining', response.remaining)
  }
}
