/**
 * One Token's page of Pings, newest first, in one statement: the Token's
 * owner (for the policy) and its Pings come back together, so the API call
 * costs one round trip; PostgreSQL writes the page as the API's JSON, so the
 * app neither parses nor re-encodes 50 rows. No app imports: the API
 * benchmark runs this very statement as its baseline.
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
  project_id: number
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

function conditionsOf(filters: TokenPingsFilters) {
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
  return { where: conditions.join(' AND '), bindings }
}

export interface TokenPingsJsonRow {
  project_id: number
  /** The page's items as a JSON array, in the API's Ping shape */
  items: string
  /** Id of the page's last (oldest) Ping, for the next cursor */
  last_id: number | null
  has_more: boolean
  /** A body on the page is not UTF-8: build this page in the app instead */
  needs_decoding: boolean
}

/**
 * The page as JSON, made by PostgreSQL: one row (none for a missing Token).
 * Fields and formats match pingJson() in app/transformers/ping_transformer.ts;
 * a test holds the two to the same output.
 */
export function tokenPingsJsonQuery(uuid: string, filters: TokenPingsFilters) {
  const { where, bindings } = conditionsOf(filters)
  const sql = `SELECT t.project_id AS project_id,
      coalesce('[' || string_agg(row_to_json(j)::text, ',' ORDER BY p.id DESC)
        FILTER (WHERE p.rn <= ?) || ']', '[]') AS items,
      min(p.id) FILTER (WHERE p.rn <= ?) AS last_id,
      coalesce(bool_or(p.rn > ?), false) AS has_more,
      coalesce(bool_or(p.body IS NOT NULL AND j.body IS NULL), false) AS needs_decoding
    FROM tokens t
    LEFT JOIN LATERAL (
      SELECT *, row_number() OVER (ORDER BY id DESC) AS rn
      FROM pings WHERE ${where} ORDER BY id DESC LIMIT ?
    ) p ON true
    LEFT JOIN LATERAL (
      SELECT p.id, t.uuid AS token, p.kind,
        to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
        p.method, p.remote_addr, p.user_agent, p.exit_status, p.rid, p.duration_ms,
        ngip_body_text(p.body) AS body
    ) j ON true
    WHERE t.uuid = ?
    GROUP BY t.project_id`
  const limit = filters.limit
  return { sql, bindings: [limit, limit, limit, ...bindings, limit + 1, uuid] }
}

/**
 * The page as rows (the slow path, for bodies that are not UTF-8): a
 * missing Token gives no row, a Token without Pings one row with a null `id`.
 */
export function tokenPingsPageQuery(uuid: string, filters: TokenPingsFilters) {
  const { where, bindings } = conditionsOf(filters)
  const sql = `SELECT t.project_id AS project_id, p.id, p.kind, p.created_at, p.method, p.remote_addr,
      p.user_agent, p.exit_status, p.rid, p.duration_ms, p.body
    FROM tokens t
    LEFT JOIN LATERAL (
      SELECT * FROM pings WHERE ${where} ORDER BY id DESC LIMIT ?
    ) p ON true
    WHERE t.uuid = ?`
  return { sql, bindings: [...bindings, filters.limit + 1, uuid] }
}
