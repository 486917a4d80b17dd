import type pg from 'pg'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * `COPY … FROM STDIN` through node-postgres, without a streaming library: the
 * batch is small enough to send as one chunk. node-postgres calls these
 * handlers for a submitted query object (its "Submittable" protocol).
 */
class CopyIn {
  rowCount = 0
  #settled = false

  constructor(
    readonly text: string,
    readonly data: Buffer,
    readonly done: (error: Error | null, rowCount: number) => void
  ) {}

  submit(connection: any) {
    connection.query(this.text)
  }

  handleCopyInResponse(connection: any) {
    connection.sendCopyFromChunk(this.data)
    connection.endCopyFrom()
  }

  handleCommandComplete(message: { text: string }) {
    this.rowCount = Number(message.text.split(' ')[1] ?? 0)
  }

  handleError(error: Error) {
    this.#settle(error)
  }

  handleReadyForQuery() {
    this.#settle(null)
  }

  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}

  #settle(error: Error | null) {
    if (!this.#settled) {
      this.#settled = true
      this.done(error, this.rowCount)
    }
  }
}

/**
 * The node-postgres client that runs this Lucid transaction's queries.
 */
async function connectionOf(trx: TransactionClientContract): Promise<pg.Client> {
  const knexTransaction = trx.knexClient as unknown as {
    client: { acquireConnection(): Promise<pg.Client> }
  }
  return knexTransaction.client.acquireConnection()
}

/**
 * Runs `COPY <table> (<columns>) FROM STDIN` in the transaction with `data`
 * in PostgreSQL's text format; resolves with the number of rows copied.
 */
export async function copyIn(
  trx: TransactionClientContract,
  table: string,
  columns: readonly string[],
  data: Buffer
): Promise<number> {
  const client = await connectionOf(trx)
  const text = `COPY ${table} (${columns.join(', ')}) FROM STDIN`
  return new Promise((resolve, reject) => {
    client.query(
      new CopyIn(text, data, (error, rowCount) =>
        error ? reject(error) : resolve(rowCount)
      ) as any
    )
  })
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
