import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * In production, one JSON log line per request when its answer is sent:
 * method, URL, status and duration, with the request_id that every other
 * line of the request carries (ctx.logger), so a 500 can be traced.
 */
export default class RequestLogMiddleware {
  #enabled = app.inProduction

  async handle(ctx: HttpContext, next: NextFn) {
    if (this.#enabled) {
      const started = performance.now()
      ctx.response.response.once('finish', () => {
        ctx.logger.info(
          {
            method: ctx.request.method(),
            url: ctx.request.url(),
            status: ctx.response.response.statusCode,
            duration_ms: Math.round(performance.now() - started),
          },
          'request'
        )
      })
    }
    return next()
  }
}
