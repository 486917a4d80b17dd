import type { HttpContext } from '@adonisjs/core/http'
import MetricsService from '#services/operations/metrics_service'

export default class MetricsController {
  async show({ response }: HttpContext) {
    response.header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
    return MetricsService.render()
  }
}
