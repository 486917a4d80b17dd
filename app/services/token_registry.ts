import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { redisKeys } from '#lib/redis_keys'

/**
 * Keeps the ping edge's set of valid Token UUIDs in step with PostgreSQL.
 */
export default class TokenRegistry {
  static async add(uuid: string) {
    await redis.sadd(redisKeys.tokens, uuid)
  }

  static async remove(uuid: string) {
    await redis.srem(redisKeys.tokens, uuid)
  }

  /**
   * Rebuilds the set from the database into a scratch key, then swaps it in
   * atomically so the edge never sees a half-built set. Returns its size.
   */
  static async rebuild(chunkSize = 5000): Promise<number> {
    const scratch = `${redisKeys.tokens}:rebuild:${process.pid}`
    await redis.del(scratch)
    let lastId = 0
    let total = 0
    for (;;) {
      const rows: { id: string; uuid: string }[] = await db
        .from('tokens')
        .select('id', 'uuid')
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(chunkSize)
      if (rows.length === 0) {
        break
      }
      await redis.sadd(scratch, ...rows.map((row) => row.uuid))
      lastId = Number(rows[rows.length - 1].id)
      total += rows.length
    }
    if (total === 0) {
      await redis.del(redisKeys.tokens)
    } else {
      await redis.rename(scratch, redisKeys.tokens)
    }
    return total
  }
}
