import pg from 'pg'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { MigrationRunner } from '@adonisjs/lucid/migration'

interface PgConnection {
  host: string
  port: number
  user: string
  password?: string
  database: string
  ssl?: unknown
}

/**
 * Creates the configured database when it does not exist yet, through the
 * server's maintenance database. Returns true when it created it.
 */
export async function ensureDatabase(): Promise<boolean> {
  const connection = app.config.get<PgConnection>('database.connections.pg.connection')
  const client = new pg.Client({ ...connection, database: 'postgres' } as pg.ClientConfig)
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      connection.database,
    ])
    if (found.rowCount) {
      return false
    }
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(connection.database)}`)
    return true
  } catch (error) {
    // Another process created it between our check and our CREATE.
    if ((error as { code?: string }).code === '42P04') {
      return false
    }
    throw error
  } finally {
    await client.end()
  }
}

/**
 * Runs pending migrations; returns the names of those applied.
 */
export async function migrate(): Promise<string[]> {
  const migrator = new MigrationRunner(db, app, { direction: 'up' })
  await migrator.run()
  if (migrator.error) {
    throw migrator.error
  }
  return Object.keys(migrator.migratedFiles)
}
