import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import BodyParser from '@adonisjs/core/bodyparser_middleware'

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

const badRequest = (message: string) =>
  new Exception(message, { status: 400, code: 'E_BAD_REQUEST' })

/**
 * The input of an /api request, read only once its API key is accepted and
 * allowed to write (so a stranger's body is never parsed, and a missing key
 * is a 401 whatever the body): a body must be JSON (415) and a JSON object
 * (400, as malformed JSON is), no larger than the body parser's limit (413),
 * and no input may hold a NUL character.
 */
@inject()
export default class ApiInputMiddleware {
  constructor(protected parser: BodyParser) {}

  handle(ctx: HttpContext, next: NextFn) {
    const method = ctx.request.method()
    const withBody = method !== 'GET' && method !== 'HEAD' && hasContent(ctx.request.headers())
    if (withBody && !ctx.request.is(JSON_TYPES)) {
      throw new Exception('Send the body as JSON, with "Content-Type: application/json"', {
        status: 415,
        code: 'E_UNSUPPORTED_MEDIA_TYPE',
      })
    }
    return this.parser.handle(ctx, () => {
      if (withBody && Array.isArray(ctx.request.body())) {
        throw badRequest('The body must be a JSON object')
      }
      if (hasNul(ctx.request.all()) || hasNul(ctx.params)) {
        throw badRequest('Input must not contain NUL characters')
      }
      return next()
    })
  }
}
