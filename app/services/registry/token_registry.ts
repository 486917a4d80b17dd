import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { redisKeys, slugField } from '#lib/redis_keys'
import { syncRegistry, type SyncOptions, type SyncResult } from '#services/registry/registry_sync'

/** A slug ping URL's route: `/ping/<pingKey>/<slug>` → the Token `uuid`. */
export interface SlugRoute {
  uuid: string
  pingKey: string
  slug: string
}

export interface TrackedToken {
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
const UNTRACK_CHUNK = 1000

/**
 * Keeps what the ping edge reads in Redis in step with PostgreSQL: the set of
 * valid Token UUIDs, the slug routes and the Users' ping keys.
 */
export default class TokenRegistry {
  static async add(uuid: string, route?: SlugRoute | null) {
    const field = route ? slugField(route.pingKey, route.slug) : ''
    await redis.eval(SET_SCRIPT, KEYS.length, ...KEYS, uuid, field)
  }

  /** Many at once: one round trip (the sync's re-registration of changed Tokens). */
  static async addMany(tokens: { uuid: string; route: SlugRoute | null }[]) {
    const batch = redis.pipeline()
    for (const { uuid, route } of tokens) {
      const field = route ? slugField(route.pingKey, route.slug) : ''
      batch.eval(SET_SCRIPT, KEYS.length, ...KEYS, uuid, field)
    }
    const results = await batch.exec()
    const failed = results?.find(([error]) => error)
    if (failed) {
      throw failed[0]
    }
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
   * Called after many Tokens are deleted at once (a User's): pipelined, a
   * round trip for each thousand instead of one a Token.
   */
  static async untrackMany(uuids: string[]) {
    for (let start = 0; start < uuids.length; start += UNTRACK_CHUNK) {
      const batch = redis.pipeline()
      for (const uuid of uuids.slice(start, start + UNTRACK_CHUNK)) {
        batch.eval(REMOVE_SCRIPT, KEYS.length, ...KEYS, uuid)
      }
      const results = await batch.exec()
      const failed = results?.find(([error]) => error)
      if (failed) {
        throw failed[0]
      }
    }
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
   * Brings the edge's keys in step with the database in small steps (see
   * registry_sync.ts). Null when another sync is running.
   */
  static sync(options: SyncOptions = {}): Promise<SyncResult | null> {
    return syncRegistry(options, (tokens) => this.addMany(tokens))
  }

  /**
   * The scheduler's safety net. Every write path updates the edge's keys at
   * once, so a full sync is due only every `intervalS`, or at once when the
   * marker a sync leaves is gone (Redis restarted empty or was flushed).
   * Returns what it did.
   */
  static async syncIfDue(
    intervalS: number,
    now = Date.now()
  ): Promise<'fresh' | 'synced' | 'busy'> {
    const last = Number(await redis.get(redisKeys.syncedAt))
    if (last > 0 && now - last < intervalS * 1000) {
      return 'fresh'
    }
    return (await this.sync()) ? 'synced' : 'busy'
  }
}
