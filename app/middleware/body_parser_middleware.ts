import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import BodyParser from '@adonisjs/core/bodyparser_middleware'

/**
 * Request bodies for the admin UI. The REST API reads its bodies itself,
 * after the API key is checked (ApiInputMiddleware).
 */
@inject()
export default class BodyParserMiddleware {
  constructor(protected parser: BodyParser) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url().startsWith('/api/')) {
      return next()
    }
    return this.parser.handle(ctx, next)
  }
}
