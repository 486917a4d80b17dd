import pg from 'pg'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/**
 * bigint columns (ids, counters) read as numbers, as the models declare them:
 * relation keys then match (a string "5" is not the id 5) and ids stay below
 * 2^53 for many lifetimes of pings.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

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
    },
  },
})

export default dbConfig
