import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import config from '@adonisjs/core/services/config'
import { safeEqual } from '@adonisjs/core/helpers'

/**
 * /metrics tells Token counts across all Users, queue depth and memory: it
 * answers only a bearer token equal to METRICS_TOKEN, and is off (404) while
 * none is set. No address is trusted instead: behind a proxy on the same
 * machine every client would look like loopback.
 */
export default class MetricsAuthMiddleware {
  handle({ request, response }: HttpContext, next: NextFn) {
    const token = config.get<string>('ngip.metrics.token')
    if (!token) {
      return response.notFound('not found')
    }
    const header = request.header('authorization') ?? ''
    const given = /^bearer /i.test(header) ? header.slice(7).trim() : ''
    if (!given || !safeEqual(given, token)) {
      response.header('www-authenticate', 'Bearer realm="metrics"')
      return response.unauthorized('unauthorized: send Authorization: Bearer <METRICS_TOKEN>')
    }
    return next()
  }
}
