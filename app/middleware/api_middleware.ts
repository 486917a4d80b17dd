import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'

/**
 * True when a parsed query or body holds a NUL character anywhere, which
 * PostgreSQL text cannot store.
 */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('\u0000')
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || hasNul(item))
  }
  return false
}

/**
 * Prepares an /api request: JSON answers (errors included), the `X-Api-Key`
 * header accepted as well as `Authorization: Bearer`, and input with NUL
 * characters refused up front.
 */
export default class ApiMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const headers = ctx.request.request.headers
    headers.accept = 'application/json'
    const apiKey = headers['x-api-key']
    if (typeof apiKey === 'string' && apiKey !== '' && !headers.authorization) {
      headers.authorization = `Bearer ${apiKey}`
    }
    if (hasNul(ctx.request.all()) || hasNul(ctx.params)) {
      throw new Exception('Input must not contain NUL characters', {
        status: 400,
        code: 'E_BAD_REQUEST',
      })
    }
    return next()
  }
}
