/*
|--------------------------------------------------------------------------
| What one `pnpm test` run owns, so runs go side by side
|--------------------------------------------------------------------------
|
| Two clones testing at once, or a test run beside `pnpm start`, must not
| share a database, a Redis database, a port or a Docker name. Whatever the
| environment does not give is picked here: a database named after this
| checkout, a Redis database claimed in Redis' DB 0 (SET NX with an expiry,
| kept alive while the run lasts, given back at its end), free ports, and a
| run id that Docker names, labels and tags carry.
|
*/

import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { parseEnv } from 'node:util'
import { Redis } from 'ioredis'

/** Redis databases a run may claim: 0 is `pnpm start`'s, 1 is .env.test's default. */
const CLAIMABLE_DBS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
const CLAIM_TTL_MS = 60_000
const REFRESH_MS = 15_000

const claimKey = (what: string) => `ngip:test-claim:${what}`

/** Refreshes the claim only when it is still ours (an expired one may be another run's). */
const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`

export interface RunScope {
  /** Variables to give the test process (only those the environment did not set). */
  env: Record<string, string>
  release(): Promise<void>
}

/** A variable as the app will see it: real environment, then .env.test, then .env. */
function envLookup(root: string, env: NodeJS.ProcessEnv) {
  const read = (file: string) =>
    existsSync(`${root}/${file}`) ? parseEnv(readFileSync(`${root}/${file}`, 'utf8')) : {}
  const files = [read('.env.test'), read('.env')]
  return (name: string) => env[name] ?? files.find((file) => file[name] !== undefined)?.[name]
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function claim(redis: Redis, owner: string, candidates: string[]) {
  for (const candidate of candidates) {
    if (await redis.set(claimKey(candidate), owner, 'PX', CLAIM_TTL_MS, 'NX')) {
      return candidate
    }
  }
  return null
}

/**
 * Empty databases first: one with keys may be a run that names REDIS_DB itself.
 */
async function emptyFirst(redis: Redis, dbs: number[]) {
  const sizes = new Map<number, number>()
  for (const db of dbs) {
    await redis.select(db)
    sizes.set(db, await redis.dbsize())
  }
  await redis.select(0)
  return [...dbs].sort((a, b) => Number(sizes.get(a)! > 0) - Number(sizes.get(b)! > 0))
}

/**
 * Picks and claims what this run needs and the environment did not give.
 */
export async function claimRunScope(root: string, env: NodeJS.ProcessEnv): Promise<RunScope> {
  const lookup = envLookup(root, env)
  const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`
  const owner = `${hostname()}:${process.pid}:${root}`
  const scoped: Record<string, string> = { NGIP_TEST_RUN: runId }
  const claims: string[] = []

  if (!env.PORT) {
    scoped.PORT = String(await freePort())
    scoped.APP_URL = env.APP_URL ?? `http://127.0.0.1:${scoped.PORT}`
  }
  if (!env.SMTP_PORT) {
    scoped.SMTP_PORT = String(await freePort())
  }

  const needsRedis = !env.REDIS_DB || !env.DB_DATABASE
  const redis = needsRedis
    ? new Redis({
        host: lookup('REDIS_HOST') || '127.0.0.1',
        port: Number(lookup('REDIS_PORT') || 6379),
        password: lookup('REDIS_PASSWORD') || undefined,
        db: 0,
        lazyConnect: true,
        maxRetriesPerRequest: 1,
      })
    : null
  if (redis) {
    await redis.connect().catch((error) => {
      throw new Error(`cannot reach Redis to claim this run's databases: ${error.message}`)
    })
  }
  if (redis && !env.REDIS_DB) {
    const candidates = await emptyFirst(redis, CLAIMABLE_DBS)
    const db = await claim(
      redis,
      owner,
      candidates.map((n) => `redis-db:${n}`)
    )
    if (!db) {
      await redis.quit()
      throw new Error(
        `no free Redis database for this test run: ${CLAIMABLE_DBS[0]}..${CLAIMABLE_DBS.at(-1)} are claimed by other runs (keys ${claimKey('redis-db:*')} in DB 0), or set REDIS_DB`
      )
    }
    claims.push(db)
    scoped.REDIS_DB = db.split(':')[1]
  }
  if (redis && !env.DB_DATABASE) {
    // Named after the checkout; a second run of the same checkout takes the next free name.
    const base = `ngip_test_${createHash('sha256').update(root).digest('hex').slice(0, 8)}`
    const names = [base, ...[2, 3, 4, 5, 6, 7, 8].map((n) => `${base}_${n}`)]
    const name = await claim(
      redis,
      owner,
      names.map((n) => `database:${n}`)
    )
    if (!name) {
      await redis.quit()
      throw new Error(`no free test database name for this checkout (${base}…), or set DB_DATABASE`)
    }
    claims.push(name)
    scoped.DB_DATABASE = name.split(':')[1]
  }

  const refresh = setInterval(() => {
    for (const held of claims) {
      redis!.eval(REFRESH, 1, claimKey(held), owner, CLAIM_TTL_MS).catch(() => {})
    }
  }, REFRESH_MS)
  refresh.unref()

  return {
    env: scoped,
    async release() {
      clearInterval(refresh)
      if (redis) {
        for (const held of claims) {
          await redis.eval(RELEASE, 1, claimKey(held), owner).catch(() => {})
        }
        await redis.quit().catch(() => {})
      }
    },
  }
}
