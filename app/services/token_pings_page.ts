/**
 * One Token's page of Pings, newest first, in one statement: the Token's
 * owner (for the policy) and its Pings come back together, so the API call
 * costs one round trip. No app imports: the API benchmark runs this very
 * statement as its baseline.
 */
export interface TokenPingsFilters {
  kind?: string
  since?: Date
  until?: Date
  /** Only Pings with a smaller id (the cursor's) */
  beforeId?: number
  limit: number
}

export interface TokenPingRow {
  owner_id: number
  id: number | null
  kind: string
  created_at: Date
  method: string
  remote_addr: string
  user_agent: string
  exit_status: number | null
  rid: string | null
  duration_ms: number | null
  body: Buffer | null
}

/**
 * SQL with `?` placeholders and its bindings; a missing Token gives no row,
 * a Token without Pings one row with a null `id`.
 */
export function tokenPingsPageQuery(uuid: string, filters: TokenPingsFilters) {
  const conditions = ['token_id = t.id']
  const bindings: unknown[] = []
  for (const [sql, value] of [
    ['kind = ?', filters.kind],
    ['created_at >= ?', filters.since],
    ['created_at < ?', filters.until],
    ['id < ?', filters.beforeId],
  ] as const) {
    if (value !== undefined) {
      conditions.push(sql)
      bindings.push(value)
    }
  }
  const sql = `SELECT t.user_id AS owner_id, p.id, p.kind, p.created_at, p.method, p.remote_addr,
      p.user_agent, p.exit_status, p.rid, p.duration_ms, p.body
    FROM tokens t
    LEFT JOIN LATERAL (
      SELECT * FROM pings WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ?
    ) p ON true
    WHERE t.uuid = ?`
  return { sql, bindings: [...bindings, filters.limit + 1, uuid] }
}

/**
 * The same statement with PostgreSQL's `$n` placeholders, for a bare client.
 */
export function withPositionalParameters(sql: string) {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}
