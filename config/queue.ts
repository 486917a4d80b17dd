import { fileURLToPath } from 'node:url'
import env from '#start/env'
import { defineConfig, drivers } from '@adonisjs/queue'

const driver = env.get('QUEUE_DRIVER', 'redis')

/**
 * The queue provider connects every adapter listed here at boot, so the Redis
 * adapter is listed only when it is the one in use (tests run the sync one).
 */
export default defineConfig({
  default: driver,
  adapters: {
    ...(driver === 'redis' ? { redis: drivers.redis({ connectionName: 'main' }) } : {}),
    sync: drivers.sync(),
  },
  worker: {
    concurrency: 5,
    idleDelay: '1s',
  },
  /**
   * Beside this file rather than under the working directory, so the
   * compiled app finds its compiled jobs wherever it is started from.
   */
  locations: [`${fileURLToPath(new URL('../app/jobs/', import.meta.url))}**/*.{ts,js}`],
})
