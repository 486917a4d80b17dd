import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ForbiddenException from '#exceptions/forbidden_exception'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Read-only API keys may only read.
 */
export default class ApiWriteMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const key = ctx.auth.user?.currentAccessToken
    if (!SAFE.has(ctx.request.method()) && key && !key.allows('write')) {
      throw new ForbiddenException('This API key is read-only')
    }
    return next()
  }
}
