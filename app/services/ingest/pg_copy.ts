import { finished } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * The node-postgres client that runs this Lucid transaction's queries: knex
 * hands a transaction's own connection to whoever asks its client, and COPY
 * must run on it to commit or roll back with the rest of the batch.
 */
async function connectionOf(trx: TransactionClientContract): Promise<pg.Client> {
  const knexTransaction = trx.knexClient as unknown as {
    client: { acquireConnection(): Promise<pg.Client> }
  }
  return knexTransaction.client.acquireConnection()
}

/**
 * Runs `COPY <table> (<columns>) FROM STDIN` in the transaction with `data`
 * in PostgreSQL's text format (pg-copy-streams speaks the COPY protocol);
 * resolves with the number of rows copied, rejects with PostgreSQL's error.
 */
export async function copyIn(
  trx: TransactionClientContract,
  table: string,
  columns: readonly string[],
  data: Buffer
): Promise<number> {
  const client = await connectionOf(trx)
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`))
  // The batch is already one buffer: one write, then end (finish follows ReadyForQuery).
  stream.end(data)
  await finished(stream)
  return stream.rowCount
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const NEEDS_ESCAPE = /[\\\t\n\r]/
const ESCAPE_ALL = /[\\\t\n\r]/g

/** A text value in COPY's text format. */
export function copyText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (char) => ESCAPES[char]) : value
}

/** A nullable value in COPY's text format (`\N` is NULL). */
export function copyValue(value: string | number | null): string {
  return value === null ? '\\N' : typeof value === 'number' ? String(value) : copyText(value)
}

/** A bytea value in COPY's text format (hex, its backslash escaped). */
export function copyBytea(value: Buffer | null): string {
  return value === null ? '\\N' : `\\\\x${value.toString('hex')}`
}
