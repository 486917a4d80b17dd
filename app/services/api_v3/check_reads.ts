import db from '@adonisjs/lucid/services/db'
import type Token from '#models/token'
import { V3Scope, type V3Key } from '#services/api_v3/scope'
import Ping from '#models/ping'
import Flip from '#models/flip'

/** Pings v3 lists at most, newest first, as healthchecks caps them */
const MAX_PINGS = 1000

export interface FlipFilters {
  seconds?: number
  start?: number
  end?: number
}

/**
 * Reads of the v3 API: a check's Pings (bodies left in the database, only
 * whether there is one), one Ping's body, and Flips by time.
 */
export default class CheckReads {
  /** The checks a key sees, with every one of `tags` and, when given, `slug` */
  static list(key: V3Key, tags: string[], slug: string) {
    const query = V3Scope.tokens(key).preload('channels').orderBy('id')
    for (const tag of tags) {
      query.whereRaw('? = ANY(tags)', [tag])
    }
    if (slug) {
      query.where('slug', slug)
    }
    return query
  }

  static channels(key: V3Key) {
    return V3Scope.channels(key).orderBy('created_at')
  }

  /** The database answers (healthchecks' status check) */
  static async databaseUp() {
    await db.rawQuery('SELECT 1')
  }

  static async pings(token: Token) {
    const pings = await Ping.query()
      .where('token_id', token.id)
      .select('id', 'token_id', 'kind', 'created_at', 'method', 'remote_addr', 'user_agent')
      .select('exit_status', 'rid', 'duration_ms')
      .select(db.raw('coalesce(octet_length(body), 0) > 0 as has_body'))
      .orderBy('id', 'desc')
      .limit(MAX_PINGS)
    return pings.map((ping) => ({ ping, hasBody: Boolean(ping.$extras.has_body) }))
  }

  /** The body of the Ping numbered `n` (its id) of this Token; null when it has none. */
  static async pingBody(token: Token, n: number) {
    const ping = await Ping.query().where('token_id', token.id).where('id', n).first()
    return ping?.body?.length ? ping.body : null
  }

  static async flips(token: Token, filters: FlipFilters, now = new Date()) {
    const query = Flip.query().where('token_id', token.id).orderBy('id', 'desc')
    if (filters.start) {
      query.where('created_at', '>=', new Date(filters.start * 1000))
    }
    if (filters.end) {
      query.where('created_at', '<', new Date(filters.end * 1000))
    }
    if (filters.seconds) {
      query.where('created_at', '>=', new Date(now.getTime() - filters.seconds * 1000))
    }
    return query
  }
}
