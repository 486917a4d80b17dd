import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import type { EdgeConfig } from '#ping/config'

/**
 * Tests own their Redis database (REDIS_DB in .env.test): start each clean.
 */
export async function flushRedis() {
  await redis.flushdb()
}

export function testRedisConfig(): EdgeConfig['redis'] {
  return {
    host: env.get('REDIS_HOST', '127.0.0.1'),
    port: env.get('REDIS_PORT', 6379),
    password: env.get('REDIS_PASSWORD') || undefined,
    db: env.get('REDIS_DB', 0),
    tls: false,
  }
}
