import { randomBytes } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { redisKeys, slugField } from '#lib/redis_keys'
import type { TrackedToken } from '#services/token_registry'

type Scratch = Record<'tokens' | 'slugs' | 'slugOf' | 'pingKeys', string>

async function fillTokens(scratch: Scratch, size: number) {
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

async function swap(scratch: Scratch) {
  const multi = redis.multi()
  for (const name of Object.keys(scratch) as (keyof Scratch)[]) {
    multi.del(redisKeys[name])
    multi.eval(
      "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end",
      2,
      scratch[name],
      redisKeys[name]
    )
  }
  await multi.exec()
}

/**
 * Rebuilds what the edge reads (Token set, slug routes, ping keys) from the
 * database into scratch keys, then swaps them in atomically so the edge never
 * sees a half-built set. A Token or User written while it read the tables may
 * have been registered in the keys the swap replaced: those are registered
 * again afterwards. Returns the number of Tokens.
 */
export async function rebuildRegistry(
  chunkSize: number,
  track: (token: TrackedToken) => Promise<void>,
  trackUser: (user: { pingKey: string }) => Promise<void>
): Promise<number> {
  const since = new Date(Date.now() - 1000)
  const suffix = `:rebuild:${randomBytes(6).toString('hex')}`
  const scratch: Scratch = {
    tokens: redisKeys.tokens + suffix,
    slugs: redisKeys.slugs + suffix,
    slugOf: redisKeys.slugOf + suffix,
    pingKeys: redisKeys.pingKeys + suffix,
  }
  const total = await fillTokens(scratch, chunkSize)
  const users = await db.from('users').select('ping_key').where('is_disabled', false)
  if (users.length > 0) {
    await redis.sadd(scratch.pingKeys, ...users.map((user) => user.ping_key))
  }
  await swap(scratch)

  const tokens = await db
    .from('tokens')
    .select('uuid', 'slug', 'user_id')
    .where('updated_at', '>=', since)
    .orWhere('created_at', '>=', since)
  for (const token of tokens) {
    await track({ uuid: token.uuid, slug: token.slug, userId: token.user_id })
  }
  const newUsers = await db
    .from('users')
    .select('ping_key')
    .where('created_at', '>=', since)
    .where('is_disabled', false)
  for (const user of newUsers) {
    await trackUser({ pingKey: user.ping_key })
  }
  return total
}
