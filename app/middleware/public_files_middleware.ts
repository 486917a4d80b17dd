import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import { isMachinePath } from '#lib/machine_paths'

/**
 * Files from public/ for the admin UI. Machine paths skip the file lookup:
 * it would cost every API call and health check a stat() on the thread pool
 * for a file that cannot exist.
 */
@inject()
export default class PublicFilesMiddleware {
  constructor(protected files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (isMachinePath(ctx.request.url())) {
      return next()
    }
    return this.files.handle(ctx, next)
  }
}
