import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Prepares an /api request: JSON answers (errors included), and the
 * `X-Api-Key` header accepted as well as `Authorization: Bearer`.
 */
export default class ApiMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const headers = ctx.request.request.headers
    headers.accept = 'application/json'
    const apiKey = headers['x-api-key']
    if (typeof apiKey === 'string' && apiKey !== '' && !headers.authorization) {
      headers.authorization = `Bearer ${apiKey}`
    }
    return next()
  }
}
