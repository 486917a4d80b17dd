import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Token from '#models/token'
import { fieldError } from '#validators/field_error'

/** Serialises dependency edits per User, so two edits cannot close a cycle between them. */
const LOCK_CLASS = 8142

/**
 * The first proposed parent from which `childId` is reached going up: with
 * it as a parent, the Token would depend on itself.
 */
const CYCLE_SQL = `
WITH RECURSIVE up(origin, id) AS (
  SELECT p, p FROM unnest(?::bigint[]) AS p
  UNION
  SELECT up.origin, d.parent_id FROM token_dependencies d JOIN up ON d.child_id = up.id
)
SELECT t.name FROM up JOIN tokens t ON t.id = up.origin WHERE up.id = ? LIMIT 1`

/**
 * Replaces the Tokens `token` depends on with those UUIDs (of the same Project).
 * Refused with a 422 naming the field: an unknown Token, itself, or a parent
 * that already depends on it, directly or through others.
 */
export async function setParents(trx: TransactionClientContract, token: Token, uuids: string[]) {
  await trx.rawQuery('SELECT pg_advisory_xact_lock(?, ?)', [LOCK_CLASS, token.projectId])
  const found = await trx.rawQuery(
    'SELECT id FROM tokens WHERE project_id = ? AND uuid = ANY(?::uuid[])',
    [token.projectId, uuids.map((uuid) => uuid.toLowerCase())]
  )
  const ids: number[] = found.rows.map((row: { id: string }) => Number(row.id))
  if (ids.length !== uuids.length) {
    throw fieldError(
      'depends_on',
      'Every entry of depends_on must be one of the Project’s Tokens',
      'exists'
    )
  }
  if (ids.includes(token.id)) {
    throw fieldError('depends_on', 'A Token cannot depend on itself', 'cycle')
  }
  const cycle = await trx.rawQuery(CYCLE_SQL, [ids, token.id])
  if (cycle.rows.length > 0) {
    throw fieldError(
      'depends_on',
      `"${cycle.rows[0].name}" already depends on "${token.name}": the dependency would make a cycle`,
      'cycle'
    )
  }
  await trx.rawQuery('DELETE FROM token_dependencies WHERE child_id = ?', [token.id])
  if (ids.length > 0) {
    await trx.rawQuery(
      'INSERT INTO token_dependencies (child_id, parent_id) SELECT ?, unnest(?::bigint[])',
      [token.id, ids]
    )
  }
}
