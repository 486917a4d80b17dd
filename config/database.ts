import pg from 'pg'
import env from '#start/env'
import logger from '@adonisjs/core/services/logger'
import { defineConfig } from '@adonisjs/lucid'

/**
 * bigint columns (ids, counters) read as numbers, as the models declare them:
 * relation keys then match (a string "5" is not the id 5) and ids stay below
 * 2^53 for many lifetimes of pings.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

/**
 * knex warns (with a stack) on every failed or dropped connection; the roles
 * say once that PostgreSQL is away (app/services/operations/outage_log.ts).
 */
const knexLog = {
  warn: (message: string) => {
    if (!/^(Acquire connection error|Connection Error)/.test(message)) {
      logger.warn(message)
    }
  },
  error: (message: string) => logger.error(message),
  deprecate: (message: string) => logger.warn(message),
  debug: (message: string) => logger.debug(message),
}

const dbConfig = defineConfig({
  connection: 'pg',
  prettyPrintDebugQueries: false,
  connections: {
    pg: {
      client: 'pg',
      connection: {
        host: env.get('DB_HOST', '127.0.0.1'),
        port: env.get('DB_PORT', 5432),
        user: env.get('DB_USER', 'postgres'),
        password: env.get('DB_PASSWORD', ''),
        database: env.get('DB_DATABASE', 'ngip'),
        ssl: env.get('DB_SSL', false) ? { rejectUnauthorized: false } : false,
      },
      pool: { min: 0, max: 10 },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      /**
       * Models declare their columns with decorators; no generated schema file.
       */
      schemaGeneration: { enabled: false },
      debug: false,
      // Not in Lucid's types; knex takes it (see knexLog).
      ...({ log: knexLog } as {}),
    },
  },
})

export default dbConfig
