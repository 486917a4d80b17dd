import db from '@adonisjs/lucid/services/db'
import { preparedStatement } from '#lib/prepared_statement'

/**
 * Runs a hot read as a prepared statement on a pooled connection, past the
 * query builder: for the few reads where the builder's and the planner's
 * share of the time shows. Inside a global transaction (the tests') it runs
 * in that transaction instead, so it sees the transaction's rows.
 */
export async function preparedQuery<Row>(sql: string, values: unknown[]): Promise<Row[]> {
  const connectionName = db.primaryConnectionName
  const transaction = db.connectionGlobalTransactions.get(connectionName)
  if (transaction) {
    const result = await transaction.rawQuery(sql, values as any[])
    return result.rows
  }
  const knex = db.connection(connectionName).getReadClient()
  const client = await knex.client.acquireConnection()
  try {
    const result = await client.query(preparedStatement(sql, values))
    return result.rows
  } finally {
    await knex.client.releaseConnection(client)
  }
}
