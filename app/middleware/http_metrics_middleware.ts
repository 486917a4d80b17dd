import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { httpDuration, httpRequests } from '#services/operations/app_metrics'

/**
 * Counts and times every web request once its answer is sent, by route
 * pattern (never the raw URL, which would make a series per Token) and the
 * final status, error pages included.
 */
export default class HttpMetricsMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const started = performance.now()
    const res = ctx.response.response
    res.once('finish', () => {
      const route = ctx.route?.pattern ?? 'unmatched'
      const method = ctx.request.method()
      httpRequests.inc({ route, method, status: String(res.statusCode) })
      httpDuration.labels({ route, method }).observe((performance.now() - started) / 1000)
    })
    return next()
  }
}
