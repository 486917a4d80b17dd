import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import type { OutageLog } from '#services/operations/outage_log'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A role's startup check: waits until PostgreSQL and Redis answer, telling
 * the log once what it waits for. False when a setting cannot work (the
 * outage log has said which and stops the process).
 */
export async function servicesReady(outages: OutageLog, retryMs = 1000): Promise<boolean> {
  for (;;) {
    const database = await db.rawQuery('SELECT 1').then(
      () => null,
      (error) => outages.report(error, 'startup check', 'PostgreSQL')
    )
    if (database?.fatal) {
      return false
    }
    if (!database) {
      outages.up('PostgreSQL')
      // Waits while Redis is away (commands queue); its connection events tell the log.
      await redis.ping()
      return true
    }
    await sleep(retryMs)
  }
}
