import app from '@adonisjs/core/services/app'
import config from '@adonisjs/core/services/config'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { EXIT_SETTING, type FaultTargets } from '#lib/faults'
import { OutageLog } from '#services/operations/outage_log'

/** Where this process looks for PostgreSQL and Redis (named in fault lines). */
export function faultTargets(): FaultTargets {
  const pg = config.get<any>('database.connections.pg.connection')
  const redis = config.get<any>('redis.connections.main')
  return {
    postgres: { host: pg.host, port: pg.port, database: pg.database, user: pg.user },
    redis: { host: redis.host, port: redis.port, db: redis.db },
  }
}

/**
 * The process's outage log. A setting that cannot work stops the process
 * with exit code 78 (`pnpm start` then does not restart it); the line is
 * already logged.
 */
let outages: OutageLog | undefined

/** The process's outage log, made on first use (after the app has booted). */
export default function outageLog(): OutageLog {
  outages ??= new OutageLog(logger, faultTargets(), () => {
    process.exitCode = EXIT_SETTING
    void app.terminate().finally(() => process.exit(EXIT_SETTING))
  }).probe('PostgreSQL', () => db.rawQuery('SELECT 1'))
  return outages
}

/** The web's check at start: a wrong DB_DATABASE stops it in one line. */
export async function checkDatabaseAtStart() {
  await db
    .rawQuery('SELECT 1')
    .catch((error) => outageLog().report(error, 'startup check', 'PostgreSQL'))
}
