import type { HttpContext } from '@adonisjs/core/http'
import { ANY_CASE_UUID_RE } from '#lib/uuid'
import type User from '#models/user'
import Token from '#models/token'
import Flip from '#models/flip'
import TokenPolicy from '#policies/token_policy'
import NotFoundException from '#exceptions/not_found_exception'
import { decodeCursor, page } from '#services/cursor'
import type { Infer } from '@vinejs/vine/types'
import type { listTokensValidator, pageValidator } from '#validators/token'

type TokenFilters = Infer<typeof listTokensValidator>
type PageFilters = Infer<typeof pageValidator>

const DEFAULT_LIMIT = 50

/**
 * The derived statuses of token_state.displayStatus, as SQL conditions.
 */
const IN_GRACE = "alert_after - grace * interval '1 second' <= now()"
const STATUS_SQL = {
  paused: "status = 'paused'",
  down: "status = 'down'",
  started: "status IN ('new', 'up') AND last_start_at IS NOT NULL",
  new: "status = 'new' AND last_start_at IS NULL",
  grace: `status = 'up' AND last_start_at IS NULL AND ${IN_GRACE}`,
  up: `status = 'up' AND last_start_at IS NULL AND (alert_after IS NULL OR NOT (${IN_GRACE}))`,
} as const

/**
 * Token reads: one Token by UUID (authorised), lists with filters, Flips.
 */
export default class TokenQueries {
  static async find(uuid: string, withChannels = true) {
    if (!ANY_CASE_UUID_RE.test(uuid)) {
      return null
    }
    const query = Token.query().where('uuid', uuid.toLowerCase())
    return withChannels ? query.preload('channels').first() : query.first()
  }

  /**
   * The Token the bouncer lets this request act on; a 404 for a missing and a
   * foreign Token alike, so ids cannot be probed.
   */
  static async findAuthorized(
    bouncer: HttpContext['bouncer'],
    uuid: string,
    action: 'view' | 'update' | 'delete' = 'view',
    withChannels = true
  ) {
    const token = await this.find(uuid, withChannels)
    if (!token || (await bouncer.with(TokenPolicy).denies(action, token))) {
      throw new NotFoundException('Token')
    }
    return token
  }

  static async list(user: User, filters: TokenFilters) {
    const limit = filters.limit ?? DEFAULT_LIMIT
    const query = Token.query()
      .preload('channels')
      .orderBy('id', 'desc')
      .limit(limit + 1)
    if (!user.isAdmin) {
      query.where('user_id', user.id)
    }
    if (filters.cursor) {
      query.where('id', '<', decodeCursor(filters.cursor))
    }
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
    return page(await query, limit)
  }

  static async flips(token: Token, filters: PageFilters) {
    const limit = filters.limit ?? DEFAULT_LIMIT
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
