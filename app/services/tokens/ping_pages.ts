import { ANY_CASE_UUID_RE } from '#lib/uuid'
import type { Infer } from '@vinejs/vine/types'
import db from '@adonisjs/lucid/services/db'
import { preparedQuery } from '#services/support/prepared_query'
import { decodeCursor, encodeCursor } from '#services/support/cursor'
import { pingJson } from '#transformers/ping_transformer'
import type { listPingsValidator } from '#validators/ping'
import {
  tokenPingsJsonQuery,
  tokenPingsPageQuery,
  type TokenPingRow,
  type TokenPingsFilters,
  type TokenPingsJsonRow,
} from '#services/tokens/ping_pages_sql'

export type PingFilters = Infer<typeof listPingsValidator>

/**
 * GET /tokens/:id/pings, the API's hottest read: one prepared statement, and
 * the page's JSON comes from PostgreSQL. A page holding a body that is not UTF-8 is
 * made in the app instead, with invalid sequences replaced.
 */
export default class TokenPingPages {
  /**
   * The page and its Token's owner, for the caller's policy; null for no such Token.
   */
  static async page(uuid: string, filters: PingFilters) {
    const id = uuid.toLowerCase()
    const query: TokenPingsFilters = {
      kind: filters.kind,
      since: filters.since,
      until: filters.until,
      beforeId: filters.cursor ? decodeCursor(filters.cursor) : undefined,
      limit: filters.limit ?? 50,
    }
    const { sql, bindings } = tokenPingsJsonQuery(id, query)
    const rows = ANY_CASE_UUID_RE.test(uuid)
      ? await preparedQuery<TokenPingsJsonRow>(sql, bindings)
      : []
    const row = rows[0]
    if (!row) {
      return null
    }
    if (row.needs_decoding) {
      return { projectId: row.project_id, ...(await this.#decodedPage(id, query)) }
    }
    const nextCursor = row.has_more && row.last_id !== null ? encodeCursor(row.last_id) : null
    return {
      projectId: row.project_id,
      itemsJson: row.items,
      meta: { limit: query.limit, next_cursor: nextCursor },
    }
  }

  static async #decodedPage(uuid: string, query: TokenPingsFilters) {
    const { sql, bindings } = tokenPingsPageQuery(uuid, query)
    const result = await db.rawQuery(sql, bindings)
    const rows: TokenPingRow[] = result.rows
    const pings = rows.filter((row) => row.id !== null).slice(0, query.limit)
    const items = pings.map((row) =>
      pingJson(
        {
          id: row.id!,
          kind: row.kind,
          createdAt: row.created_at,
          method: row.method,
          remoteAddr: row.remote_addr,
          userAgent: row.user_agent,
          exitStatus: row.exit_status,
          rid: row.rid,
          durationMs: row.duration_ms,
          body: row.body,
        },
        uuid
      )
    )
    const more = rows.filter((row) => row.id !== null).length > query.limit
    const nextCursor = more ? encodeCursor(items[items.length - 1].id) : null
    return {
      itemsJson: JSON.stringify(items),
      meta: { limit: query.limit, next_cursor: nextCursor },
    }
  }
}
