import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'

/** Content types of JSON bodies (merge-patch+json and other JSON dialects too) */
const JSON_TYPES = ['application/json', 'application/*+json']

/** A body of at least one byte is on its way (`Content-Length: 0` is none) */
function hasContent(headers: Record<string, string | string[] | undefined>) {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length']) > 0
}

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
 * header accepted as well as `Authorization: Bearer`, and refused up front:
 * bodies that are not JSON (415) or not a JSON object (400), and input with
 * NUL characters.
 */
export default class ApiMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const headers = ctx.request.request.headers
    headers.accept = 'application/json'
    const apiKey = headers['x-api-key']
    if (typeof apiKey === 'string' && apiKey !== '' && !headers.authorization) {
      headers.authorization = `Bearer ${apiKey}`
    }
    const method = ctx.request.method()
    if (method !== 'GET' && method !== 'HEAD' && hasContent(headers)) {
      if (!ctx.request.is(JSON_TYPES)) {
        throw new Exception('Send the body as JSON, with "Content-Type: application/json"', {
          status: 415,
          code: 'E_UNSUPPORTED_MEDIA_TYPE',
        })
      }
      if (Array.isArray(ctx.request.body())) {
        throw new Exception('The body must be a JSON object', {
          status: 400,
          code: 'E_BAD_REQUEST',
        })
      }
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
