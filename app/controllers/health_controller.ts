import type { HttpContext } from '@adonisjs/core/http'
import { readiness } from '#services/operations/readiness'

export default class HealthController {
  /**
   * The process is up and serving.
   */
  async live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /**
   * PostgreSQL and Redis answer and ingest keeps up: 200, else 503 with
   * `unavailable` or `degraded` (see app/services/operations/readiness.ts).
   */
  async ready({ response }: HttpContext) {
    const report = await readiness()
    return response.status(report.status === 'ok' ? 200 : 503).send(report)
  }
}
