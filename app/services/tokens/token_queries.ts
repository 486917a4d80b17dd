import { ANY_CASE_UUID_RE } from '#lib/uuid'
import { listedProjectId, type ProjectAccess } from '#services/projects/project_access'
import Token from '#models/token'
import Flip from '#models/flip'
import { decodeCursor, decodeCursorKey, page } from '#services/support/cursor'
import type { Infer } from '@vinejs/vine/types'
import type { listTokensValidator } from '#validators/token'
import type { pageValidator } from '#validators/page'
import type { TokenSort } from '#validators/list_query'
import { STATUS_RANK, STATUS_SQL } from '#models/token_state'
import { statusOrderIds } from '#services/tokens/status_order'
import { PAGE_SIZE } from '#validators/page'

/** The API's filters, and the dashboard's order and owner (admins only, who see every Project). */
type TokenFilters = Infer<typeof listTokensValidator> & {
  sort?: TokenSort
  owner?: number
  withOwner?: boolean
}
type PageFilters = Infer<typeof pageValidator>

/** Each order ends on the id, so that equal keys keep one order between pages. */
export const ORDER_SQL: Record<Exclude<TokenSort, 'newest'>, string> = {
  status: `${STATUS_RANK}, name, id`,
  name: 'name, id',
  last_ping: 'last_ping_at DESC NULLS LAST, id DESC',
}

/**
 * Token reads: one Token by UUID, lists with filters, Flips.
 */
export default class TokenQueries {
  static async find(uuid: string, withChannels = true) {
    if (!ANY_CASE_UUID_RE.test(uuid)) {
      return null
    }
    const query = Token.query().where('uuid', uuid.toLowerCase())
    return withChannels ? query.preload('channels').preload('parents').first() : query.first()
  }

  static async list(access: ProjectAccess, filters: TokenFilters) {
    const projectId = listedProjectId(access)
    const limit = filters.limit ?? PAGE_SIZE.default
    const query = Token.query()
      .preload('channels')
      .preload('parents')
      .limit(limit + 1)
    const scope = (scoped: ReturnType<typeof Token.query>) => {
      if (projectId !== null) {
        scoped.where('project_id', projectId)
      } else if (filters.owner) {
        scoped.where('user_id', filters.owner)
      }
    }
    scope(query)
    if (access.seesAll && filters.withOwner) {
      query.preload('user')
    }
    if (filters.sort && filters.sort !== 'newest') {
      // Orders other than the newest page by offset: their keys are not unique.
      const offset = filters.cursor
        ? Number(decodeCursorKey(filters.cursor, /^o\d{1,9}$/).slice(1))
        : 0
      if (filters.sort === 'status') {
        const ids = await statusOrderIds(
          (group) => {
            scope(group)
            this.#filter(group, filters)
          },
          offset + limit + 1
        )
        const shown = ids.slice(offset)
        const tokens = await query.whereIn('id', shown)
        const found = new Map(tokens.map((token) => [token.id, token]))
        const ordered = shown.flatMap((id) => found.get(id) ?? [])
        return page(ordered, limit, () => `o${offset + limit}`)
      }
      query.orderByRaw(ORDER_SQL[filters.sort]).offset(offset)
      this.#filter(query, filters)
      return page(await query, limit, () => `o${offset + limit}`)
    }
    query.orderBy('id', 'desc')
    if (filters.cursor) {
      query.where('id', '<', decodeCursor(filters.cursor))
    }
    this.#filter(query, filters)
    return page(await query, limit)
  }

  static #filter(query: ReturnType<typeof Token.query>, filters: TokenFilters) {
    for (const tag of typeof filters.tag === 'string' ? [filters.tag] : (filters.tag ?? [])) {
      if (tag) {
        query.whereRaw('? = ANY(tags)', [tag])
      }
    }
    if (filters.q) {
      const like = `%${filters.q.replace(/[\\%_]/g, '\\$&')}%`
      query.where((q) => q.whereILike('name', like).orWhereILike('slug', like))
    }
    if (filters.status) {
      query.whereRaw(STATUS_SQL[filters.status])
    }
  }

  static async flips(token: Token, filters: PageFilters) {
    const limit = filters.limit ?? PAGE_SIZE.default
    const query = Flip.query()
      .where('token_id', token.id)
      .orderBy('id', 'desc')
      .limit(limit + 1)
    if (filters.cursor) {
      query.where('id', '<', decodeCursor(filters.cursor))
    }
    return page(await query, limit)
  }
}
