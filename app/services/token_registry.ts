import { randomBytes } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { redisKeys, slugField } from '#lib/redis_keys'

/** A slug ping URL's route: `/ping/<pingKey>/<slug>` → the Token `uuid`. */
export interface SlugRoute {
  uuid: string
  pingKey: string
  slug: string
}

interface TrackedToken {
  uuid: string
  slug?: string | null
  userId?: number
}

/**
 * KEYS tokens, slugs, slugOf · ARGV uuid, slug field or "". Registers the
 * Token and moves its slug route, dropping the one it had before.
 */
const SET_SCRIPT = `
redis.call('SADD', KEYS[1], ARGV[1])
local old = redis.call('HGET', KEYS[3], ARGV[1])
if old and old ~= ARGV[2] and redis.call('HGET', KEYS[2], old) == ARGV[1] then
  redis.call('HDEL', KEYS[2], old)
end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[3], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
end
`

/** KEYS tokens, slugs, slugOf · ARGV uuid. Forgets the Token and its slug route. */
const REMOVE_SCRIPT = `
redis.call('SREM', KEYS[1], ARGV[1])
local old = redis.call('HGET', KEYS[3], ARGV[1])
if old and redis.call('HGET', KEYS[2], old) == ARGV[1] then redis.call('HDEL', KEYS[2], old) end
redis.call('HDEL', KEYS[3], ARGV[1])
`

const KEYS = [redisKeys.tokens, redisKeys.slugs, redisKeys.slugOf] as const

/**
 * Keeps what the ping edge reads in Redis in step with PostgreSQL: the set of
 * valid Token UUIDs, the slug routes and the Users' ping keys.
 */
export default class TokenRegistry {
  static async add(uuid: string, route?: SlugRoute | null) {
    const field = route ? slugField(route.pingKey, route.slug) : ''
    await redis.eval(SET_SCRIPT, KEYS.length, ...KEYS, uuid, field)
  }

  static async remove(uuid: string) {
    await redis.eval(REMOVE_SCRIPT, KEYS.length, ...KEYS, uuid)
  }

  static async addSlugRoute(route: SlugRoute) {
    await this.add(route.uuid, route)
  }

  /**
   * Called after a Token is created or changed (its slug may have moved).
   */
  static async track(token: TrackedToken) {
    let route: SlugRoute | null = null
    if (token.slug && token.userId !== undefined) {
      const user = await db.from('users').select('ping_key').where('id', token.userId).first()
      route = user ? { uuid: token.uuid, pingKey: user.ping_key, slug: token.slug } : null
    }
    await this.add(token.uuid, route)
  }

  /**
   * Called after a Token is deleted.
   */
  static async untrack(token: { uuid: string }) {
    await this.remove(token.uuid)
  }

  /**
   * Called after a User is created: their ping key may provision Tokens.
   */
  static async trackUser(user: { pingKey: string }) {
    await redis.sadd(redisKeys.pingKeys, user.pingKey)
  }

  static async untrackUser(user: { pingKey: string }) {
    await redis.srem(redisKeys.pingKeys, user.pingKey)
  }

  /**
   * Rebuilds everything from the database into scratch keys, then swaps them
   * in atomically so the edge never sees a half-built set. Changes made while
   * it ran are applied again after the swap. Returns the number of Tokens.
   */
  static async rebuild(chunkSize = 5000): Promise<number> {
    const startedAt = new Date(Date.now() - 1000)
    const suffix = `:rebuild:${randomBytes(6).toString('hex')}`
    const scratch = {
      tokens: redisKeys.tokens + suffix,
      slugs: redisKeys.slugs + suffix,
      slugOf: redisKeys.slugOf + suffix,
      pingKeys: redisKeys.pingKeys + suffix,
    }
    const total = await this.#fillTokens(scratch, chunkSize)
    const users = await db.from('users').select('ping_key')
    if (users.length > 0) {
      await redis.sadd(scratch.pingKeys, ...users.map((user) => user.ping_key))
    }
    const swap = redis.multi()
    for (const name of ['tokens', 'slugs', 'slugOf', 'pingKeys'] as const) {
      swap.del(redisKeys[name])
      swap.eval(
        "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end",
        2,
        scratch[name],
        redisKeys[name]
      )
    }
    await swap.exec()
    await this.#replaySince(startedAt)
    return total
  }

  static async #fillTokens(scratch: Record<'tokens' | 'slugs' | 'slugOf', string>, size: number) {
    let lastId = 0
    let total = 0
    for (;;) {
      const rows: { id: string; uuid: string; slug: string | null; ping_key: string }[] = await db
        .from('tokens')
        .join('users', 'users.id', 'tokens.user_id')
        .select('tokens.id', 'tokens.uuid', 'tokens.slug', 'users.ping_key')
        .where('tokens.id', '>', lastId)
        .orderBy('tokens.id')
        .limit(size)
      if (rows.length === 0) {
        return total
      }
      const batch = redis.pipeline().sadd(scratch.tokens, ...rows.map((row) => row.uuid))
      for (const row of rows.filter((candidate) => candidate.slug)) {
        const field = slugField(row.ping_key, row.slug!)
        batch.hset(scratch.slugs, field, row.uuid).hset(scratch.slugOf, row.uuid, field)
      }
      await batch.exec()
      lastId = Number(rows[rows.length - 1].id)
      total += rows.length
    }
  }

  /**
   * A Token or User written while the rebuild read the tables may have been
   * registered in the keys the swap replaced: register it again.
   */
  static async #replaySince(since: Date) {
    const tokens = await db
      .from('tokens')
      .select('uuid', 'slug', 'user_id')
      .where('updated_at', '>=', since)
      .orWhere('created_at', '>=', since)
    for (const token of tokens) {
      await this.track({ uuid: token.uuid, slug: token.slug, userId: token.user_id })
    }
    const users = await db.from('users').select('ping_key').where('created_at', '>=', since)
    for (const user of users) {
      await this.trackUser({ pingKey: user.ping_key })
    }
  }
}
