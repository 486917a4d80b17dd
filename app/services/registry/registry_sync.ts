import { randomBytes } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { redisKeys, slugField } from '#lib/redis_keys'
import type { TrackedToken } from '#services/registry/token_registry'

export interface SyncProgress {
  phase: 'tokens' | 'extra tokens' | 'slug routes' | 'ping keys'
  checked: number
  total: number
}

export interface SyncOptions {
  /** Rows read from PostgreSQL a page, members a Redis scan step. */
  pageSize?: number
  /** Awaited after each page: progress on the command, a hook for the tests. */
  onProgress?: (progress: SyncProgress) => void | Promise<void>
}

export interface SyncResult {
  tokens: number
  added: number
  removed: number
}

const LOCK_TTL_MS = 30_000
const SCAN_COUNT = 500
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** KEYS lock · ARGV owner, ttl. Extends the lock only while we own it. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`

/** KEYS lock · ARGV owner. Releases the lock only while we own it. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

/** KEYS hash · ARGV field, value. Drops the field only if it still holds the value checked. */
const HDEL_IF_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`

interface TokenRow {
  id: string | number
  uuid: string
  slug: string | null
  ping_key: string
}

function tokensWithUsers() {
  return db
    .from('tokens')
    .join('users', 'users.id', 'tokens.user_id')
    .select('tokens.id', 'tokens.uuid', 'tokens.slug', 'users.ping_key')
}

/** The members of `uuids` PostgreSQL has, with their slug route field (or null). */
async function lookUp(uuids: string[]): Promise<Map<string, string | null>> {
  const valid = uuids.filter((uuid) => UUID.test(uuid))
  const found = new Map<string, string | null>()
  if (valid.length === 0) {
    return found
  }
  const rows: TokenRow[] = await tokensWithUsers().whereIn('tokens.uuid', valid)
  for (const row of rows) {
    found.set(row.uuid, row.slug ? slugField(row.ping_key, row.slug) : null)
  }
  return found
}

async function* scan(kind: 'sscan' | 'hscan', key: string) {
  let cursor = '0'
  do {
    const [next, items] = await redis[kind](key, cursor, 'COUNT', SCAN_COUNT)
    cursor = next
    if (items.length > 0) {
      yield items
    }
  } while (cursor !== '0')
}

function pairs(items: string[]) {
  const result: [string, string][] = []
  for (let index = 0; index + 1 < items.length; index += 2) {
    result.push([items[index], items[index + 1]])
  }
  return result
}

async function hdelUnless(
  key: string,
  entries: [string, string][],
  keep: (entry: [string, string]) => boolean
) {
  const stale = entries.filter((entry) => !keep(entry))
  if (stale.length === 0) {
    return 0
  }
  const batch = redis.pipeline()
  for (const [field, value] of stale) {
    batch.eval(HDEL_IF_SCRIPT, 1, key, field, value)
  }
  await batch.exec()
  return stale.length
}

/**
 * Adds what PostgreSQL has and Redis lacks, page by page in `tokens.id` order.
 * A slug changed after its page was read may be written back stale here: the
 * sync re-registers Tokens changed during the pass at its end.
 */
async function addMissing(options: Required<SyncOptions>, total: number) {
  let lastId: string | number = 0
  let checked = 0
  let added = 0
  for (;;) {
    const rows: TokenRow[] = await tokensWithUsers()
      .where('tokens.id', '>', lastId)
      .orderBy('tokens.id')
      .limit(options.pageSize)
    if (rows.length === 0) {
      return { checked, added }
    }
    const batch = redis.pipeline().sadd(redisKeys.tokens, ...rows.map((row) => row.uuid))
    for (const row of rows.filter((candidate) => candidate.slug)) {
      const field = slugField(row.ping_key, row.slug!)
      batch.hset(redisKeys.slugs, field, row.uuid).hset(redisKeys.slugOf, row.uuid, field)
    }
    const results = await batch.exec()
    added += Number(results?.[0]?.[1] ?? 0)
    lastId = rows[rows.length - 1].id
    checked += rows.length
    await options.onProgress({ phase: 'tokens', checked, total })
    if (rows.length < options.pageSize) {
      return { checked, added }
    }
  }
}

/**
 * Walks the Redis Token set and the slug hashes with small scans and drops
 * what PostgreSQL no longer has. Each scanned batch is looked up in PostgreSQL
 * after Redis returned it: a Token's write path registers it only after its
 * commit, so a member created during the pass is found and kept.
 */
async function removeExtra(options: Required<SyncOptions>, total: number) {
  let removed = 0
  let checked = 0
  for await (const members of scan('sscan', redisKeys.tokens)) {
    const found = await lookUp(members)
    const extra = members.filter((member) => !found.has(member))
    if (extra.length > 0) {
      removed += await redis.srem(redisKeys.tokens, ...extra)
    }
    checked += members.length
    await options.onProgress({ phase: 'extra tokens', checked, total })
  }
  checked = 0
  for await (const items of scan('hscan', redisKeys.slugOf)) {
    const entries = pairs(items)
    const found = await lookUp(entries.map(([uuid]) => uuid))
    await hdelUnless(redisKeys.slugOf, entries, ([uuid, field]) => found.get(uuid) === field)
    checked += entries.length
    await options.onProgress({ phase: 'slug routes', checked, total })
  }
  for await (const items of scan('hscan', redisKeys.slugs)) {
    const entries = pairs(items)
    const found = await lookUp(entries.map(([, uuid]) => uuid))
    await hdelUnless(redisKeys.slugs, entries, ([field, uuid]) => found.get(uuid) === field)
  }
  return removed
}

async function syncPingKeys(options: Required<SyncOptions>) {
  let lastId: string | number = 0
  for (;;) {
    const users: { id: string | number; ping_key: string }[] = await db
      .from('users')
      .select('id', 'ping_key')
      .where('is_disabled', false)
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(options.pageSize)
    if (users.length === 0) {
      break
    }
    await redis.sadd(redisKeys.pingKeys, ...users.map((user) => user.ping_key))
    lastId = users[users.length - 1].id
  }
  let checked = 0
  for await (const keys of scan('sscan', redisKeys.pingKeys)) {
    const rows: { ping_key: string }[] = await db
      .from('users')
      .select('ping_key')
      .whereIn('ping_key', keys)
      .where('is_disabled', false)
    const known = new Set(rows.map((row) => row.ping_key))
    const extra = keys.filter((key) => !known.has(key))
    if (extra.length > 0) {
      await redis.srem(redisKeys.pingKeys, ...extra)
    }
    checked += keys.length
    await options.onProgress({ phase: 'ping keys', checked, total: checked })
  }
}

/**
 * One sync at a time across every process: a Redis lock with an owner token,
 * renewed while the sync runs and released only by its owner.
 */
async function withLock<T>(task: () => Promise<T>): Promise<T | null> {
  const owner = randomBytes(12).toString('hex')
  const taken = await redis.set(redisKeys.syncLock, owner, 'PX', LOCK_TTL_MS, 'NX')
  if (taken !== 'OK') {
    return null
  }
  const renewal = setInterval(() => {
    redis.eval(RENEW_SCRIPT, 1, redisKeys.syncLock, owner, LOCK_TTL_MS).catch(() => {})
  }, LOCK_TTL_MS / 3)
  try {
    return await task()
  } finally {
    clearInterval(renewal)
    await redis.eval(RELEASE_SCRIPT, 1, redisKeys.syncLock, owner)
  }
}

/**
 * Brings what the edge reads (Token set, slug routes, ping keys) in step with
 * PostgreSQL by diffing in small steps: pages of PostgreSQL rows add what is
 * missing, SSCAN/HSCAN batches remove what PostgreSQL no longer has. The live
 * keys are never deleted or renamed (freeing a 1 M member set blocks Redis for
 * everyone). Returns null, doing nothing, when another sync holds the lock.
 */
export async function syncRegistry(
  options: SyncOptions,
  track: (token: TrackedToken) => Promise<void>
): Promise<SyncResult | null> {
  const settled: Required<SyncOptions> = {
    pageSize: options.pageSize ?? 5000,
    onProgress: options.onProgress ?? (() => {}),
  }
  return withLock(async () => {
    const since = new Date(Date.now() - 1000)
    const [{ count }] = await db.from('tokens').count('* as count')
    const total = Number(count)
    const { checked, added } = await addMissing(settled, total)
    const removed = await removeExtra(settled, total)
    await syncPingKeys(settled)
    // A slug changed while its page was read: the page's HSET may be older.
    const changed = await db
      .from('tokens')
      .select('uuid', 'slug', 'user_id')
      .where('updated_at', '>=', since)
    for (const token of changed) {
      await track({ uuid: token.uuid, slug: token.slug, userId: token.user_id })
    }
    await redis.set(redisKeys.syncedAt, String(since.getTime()))
    return { tokens: checked, added, removed }
  })
}
