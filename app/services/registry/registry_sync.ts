import { randomBytes } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { redisKeys, slugField } from '#lib/redis_keys'
import type { SlugRoute } from '#services/registry/token_registry'

/** Registers Tokens with their slug routes (TokenRegistry.addMany) */
export type Register = (tokens: { uuid: string; route: SlugRoute | null }[]) => Promise<void>

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
/**
 * Members a Redis command of the sync touches at most (SADD, SREM, a scan
 * step): each costs Redis well under a millisecond even on a 1 M member set,
 * and every other client is served between two of them.
 */
export const REDIS_STEP = 1000
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

/** The members of `uuids` PostgreSQL has (one array parameter, not one a member). */
async function existing(uuids: string[]): Promise<Set<string>> {
  const valid = uuids.filter((uuid) => UUID.test(uuid))
  if (valid.length === 0) {
    return new Set()
  }
  const { rows } = await db.rawQuery<{ rows: { uuid: string }[] }>(
    'SELECT uuid FROM tokens WHERE uuid = ANY(?::uuid[])',
    [valid]
  )
  return new Set(rows.map((row) => row.uuid))
}

/** The members of `uuids` PostgreSQL has, with their slug route field (or null). */
async function lookUp(uuids: string[]): Promise<Map<string, string | null>> {
  const valid = uuids.filter((uuid) => UUID.test(uuid))
  const found = new Map<string, string | null>()
  if (valid.length === 0) {
    return found
  }
  const rows: TokenRow[] = await tokensWithUsers().whereRaw('tokens.uuid = ANY(?::uuid[])', [valid])
  for (const row of rows) {
    found.set(row.uuid, row.slug ? slugField(row.ping_key, row.slug) : null)
  }
  return found
}

/**
 * SSCAN/HSCAN in steps of REDIS_STEP. The next step is asked for while the
 * caller works on this one (its PostgreSQL look-up), so the two overlap.
 */
async function* scan(kind: 'sscan' | 'hscan', key: string) {
  const step = (cursor: string) => redis[kind](key, cursor, 'COUNT', REDIS_STEP)
  let next = step('0')
  for (;;) {
    const [cursor, items] = await next
    if (cursor !== '0') {
      next = step(cursor)
      // awaited at the next turn; a caller that stops early leaves it unheard
      next.catch(() => {})
    }
    if (items.length > 0) {
      yield items
    }
    if (cursor === '0') {
      return
    }
  }
}

/** Runs `command` over `members` REDIS_STEP at a time, one command after the other. */
async function inSteps(members: string[], command: (part: string[]) => Promise<number>) {
  let total = 0
  for (let start = 0; start < members.length; start += REDIS_STEP) {
    total += await command(members.slice(start, start + REDIS_STEP))
  }
  return total
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

function tokenPage(after: string | number, pageSize: number): Promise<TokenRow[]> {
  return tokensWithUsers().where('tokens.id', '>', after).orderBy('tokens.id').limit(pageSize)
}

/**
 * Adds what PostgreSQL has and Redis lacks, page by page in `tokens.id` order:
 * the next page is read while this one is written, in commands of at most
 * REDIS_STEP members sent in one round trip. A slug changed after its page
 * was read may be written back stale here: the sync re-registers Tokens
 * changed during the pass at its end.
 */
async function addMissing(options: Required<SyncOptions>, total: number) {
  let checked = 0
  let added = 0
  let page = tokenPage(0, options.pageSize)
  for (;;) {
    const rows = await page
    if (rows.length === 0) {
      return { checked, added }
    }
    const more = rows.length === options.pageSize
    if (more) {
      page = tokenPage(rows[rows.length - 1].id, options.pageSize)
    }
    const batch = redis.pipeline()
    const sadds: number[] = []
    for (let start = 0; start < rows.length; start += REDIS_STEP) {
      const part = rows.slice(start, start + REDIS_STEP)
      sadds.push(batch.length)
      batch.sadd(redisKeys.tokens, ...part.map((row) => row.uuid))
      const routes: string[] = []
      const owners: string[] = []
      for (const row of part.filter((candidate) => candidate.slug)) {
        const field = slugField(row.ping_key, row.slug!)
        routes.push(field, row.uuid)
        owners.push(row.uuid, field)
      }
      if (routes.length > 0) {
        batch.hset(redisKeys.slugs, ...routes).hset(redisKeys.slugOf, ...owners)
      }
    }
    const results = (await batch.exec()) ?? []
    const failed = results.find(([error]) => error)
    if (failed) {
      throw failed[0]
    }
    // the SADDs' replies: members new to the set
    added += sadds.reduce((sum, index) => sum + Number(results[index][1]), 0)
    checked += rows.length
    await options.onProgress({ phase: 'tokens', checked, total })
    if (!more) {
      return { checked, added }
    }
  }
}

/** Scanned batches of the Token set looked up in PostgreSQL at once, at most */
const LOOKUPS_IN_FLIGHT = 4

/**
 * Walks the Redis Token set and the slug hashes with small scans and drops
 * what PostgreSQL no longer has. Each scanned batch is looked up in PostgreSQL
 * after Redis returned it: a Token's write path registers it only after its
 * commit, so a member created during the pass is found and kept. The scan
 * goes on while up to LOOKUPS_IN_FLIGHT batches are looked up. A key is
 * walked only when it may hold something extra (extraSuspected).
 */
async function removeExtra(options: Required<SyncOptions>, total: number) {
  const suspected = await extraSuspected()
  const removed = suspected.tokens ? await removeExtraTokens(options, total) : 0
  if (suspected.slugs) {
    await removeExtraRoutes(options, total)
  }
  return removed
}

/**
 * Whether the live keys may hold what PostgreSQL no longer has. After
 * addMissing they hold every Token PostgreSQL has, so a key that holds no
 * more than PostgreSQL counts holds nothing extra, and its scan (a look-up of
 * every member) is skipped: the check costs what there is to remove, not the
 * size of the set. PostgreSQL is counted first: a Token created meanwhile
 * then makes Redis look bigger (a scan for nothing), never smaller.
 */
async function extraSuspected() {
  const [row] = await db
    .from('tokens')
    .select(
      db.raw('count(*)::bigint AS tokens'),
      db.raw("count(*) FILTER (WHERE slug <> '')::bigint AS slugged")
    )
  const [members, owners, routes] = await Promise.all([
    redis.scard(redisKeys.tokens),
    redis.hlen(redisKeys.slugOf),
    redis.hlen(redisKeys.slugs),
  ])
  const slugged = Number(row.slugged)
  return {
    tokens: members > Number(row.tokens),
    slugs: owners > slugged || routes > slugged,
  }
}

async function removeExtraTokens(options: Required<SyncOptions>, total: number) {
  let removed = 0
  let checked = 0
  const inFlight = new Set<Promise<void>>()
  let failure: unknown = null
  const check = async (members: string[]) => {
    const found = await existing(members)
    const extra = members.filter((member) => !found.has(member))
    // read `removed` after the await: other batches add to it meanwhile
    const dropped = await inSteps(extra, (part) => redis.srem(redisKeys.tokens, ...part))
    removed += dropped
    checked += members.length
    await options.onProgress({ phase: 'extra tokens', checked, total })
  }
  for await (const members of scan('sscan', redisKeys.tokens)) {
    const task: Promise<void> = check(members)
      .catch((error) => (failure ??= error))
      .finally(() => inFlight.delete(task))
    inFlight.add(task)
    if (inFlight.size >= LOOKUPS_IN_FLIGHT) {
      await Promise.race(inFlight)
    }
    if (failure) {
      break
    }
  }
  await Promise.all(inFlight)
  if (failure) {
    throw failure
  }
  return removed
}

async function removeExtraRoutes(options: Required<SyncOptions>, total: number) {
  let checked = 0
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
    await inSteps(
      users.map((user) => user.ping_key),
      (part) => redis.sadd(redisKeys.pingKeys, ...part)
    )
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
    await inSteps(extra, (part) => redis.srem(redisKeys.pingKeys, ...part))
    checked += keys.length
    await options.onProgress({ phase: 'ping keys', checked, total: checked })
  }
}

/**
 * Registers again the Tokens changed since `since` (the worker marks every
 * Token it stores a Ping for, so under load this may be many): pages of
 * PostgreSQL rows with their ping keys, registered REDIS_STEP / 10 at a time.
 */
async function registerChanged(since: Date, options: Required<SyncOptions>, register: Register) {
  let lastId: string | number = 0
  for (;;) {
    const rows: TokenRow[] = await tokensWithUsers()
      .where('tokens.updated_at', '>=', since)
      .where('tokens.id', '>', lastId)
      .orderBy('tokens.id')
      .limit(options.pageSize)
    for (let start = 0; start < rows.length; start += REDIS_STEP / 10) {
      await register(
        rows.slice(start, start + REDIS_STEP / 10).map((row) => ({
          uuid: row.uuid,
          route: row.slug ? { uuid: row.uuid, pingKey: row.ping_key, slug: row.slug } : null,
        }))
      )
    }
    if (rows.length < options.pageSize) {
      return
    }
    lastId = rows[rows.length - 1].id
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
  register: Register
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
    await registerChanged(since, settled, register)
    await redis.set(redisKeys.syncedAt, String(since.getTime()))
    return { tokens: checked, added, removed }
  })
}
