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
import { Claims, claimKey } from './test_claims.ts'

/** Redis databases a run may claim: 0 is `pnpm start`'s, 1 is .env.test's default. */
const CLAIMABLE_DBS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]

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

async function connectClaims(root: string, env: NodeJS.ProcessEnv) {
  const lookup = envLookup(root, env)
  const redis = new Redis({
    host: lookup('REDIS_HOST') || '127.0.0.1',
    port: Number(lookup('REDIS_PORT') || 6379),
    password: lookup('REDIS_PASSWORD') || undefined,
    db: 0,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  })
  await redis.connect().catch((error) => {
    redis.disconnect()
    throw new Error(`cannot reach Redis to claim this run's databases: ${error.message}`)
  })
  return new Claims(redis, `${hostname()}:${process.pid}:${root}`)
}

async function claimRedisDb(claims: Claims) {
  const candidates = await emptyFirst(claims.redis, CLAIMABLE_DBS)
  const db = await claims.first(candidates.map((n) => `redis-db:${n}`))
  if (!db) {
    throw new Error(
      `no free Redis database for this test run: ${CLAIMABLE_DBS[0]}..${CLAIMABLE_DBS.at(-1)} are claimed by other runs (keys ${claimKey('redis-db:*')} in DB 0), or set REDIS_DB`
    )
  }
  return db.split(':')[1]
}

/** Named after the checkout; a second run of the same checkout takes the next free name. */
async function claimDatabase(claims: Claims, root: string) {
  const base = `ngip_test_${createHash('sha256').update(root).digest('hex').slice(0, 8)}`
  const names = [base, ...[2, 3, 4, 5, 6, 7, 8].map((n) => `${base}_${n}`)]
  const name = await claims.first(names.map((n) => `database:${n}`))
  if (!name) {
    throw new Error(`no free test database name for this checkout (${base}…), or set DB_DATABASE`)
  }
  return name.split(':')[1]
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
  const scoped: Record<string, string> = {
    NGIP_TEST_RUN: `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`,
  }
  // Ports are the run's own even when the shell exports PORT for `pnpm start`: the suites'
  // server and SMTP receiver must never meet a running platform (TEST_PORT pins the web's).
  scoped.PORT = env.TEST_PORT ?? String(await freePort())
  scoped.APP_URL = `http://127.0.0.1:${scoped.PORT}`
  scoped.SMTP_PORT = String(await freePort())
  if (env.REDIS_DB && env.DB_DATABASE) {
    return { env: scoped, release: async () => {} }
  }
  const claims = await connectClaims(root, env)
  try {
    if (!env.REDIS_DB) {
      scoped.REDIS_DB = await claimRedisDb(claims)
    }
    if (!env.DB_DATABASE) {
      scoped.DB_DATABASE = await claimDatabase(claims, root)
    }
  } catch (error) {
    await claims.release()
    throw error
  }
  return { env: scoped, release: () => claims.release() }
}
