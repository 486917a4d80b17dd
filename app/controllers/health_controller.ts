import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'

export default class HealthController {
  /**
   * The process is up and serving.
   */
  async live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /**
   * PostgreSQL and Redis answer.
   */
  async ready({ response }: HttpContext) {
    const checks = {
      database: await db.rawQuery('SELECT 1').then(
        () => true,
        () => false
      ),
      redis: await redis.ping().then(
        (pong) => pong === 'PONG',
        () => false
      ),
    }
    const ok = checks.database && checks.redis
    return response.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks })
  }
}
