import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { type Redis } from 'ioredis'
import pg from 'pg'
import { redisKeys } from '#lib/redis_keys'
import { PROJECTS_BACKFILL } from '../database/migrations/0080_create_projects_table.js'

/**
 * The benchmarks' own database and Redis database, never the dev or test
 * ones: claimed for the run by bench/scope.ts before anything starts.
 */
export const bench = {
  root: new URL('../', import.meta.url).pathname,
  database: process.env.BENCH_DATABASE ?? '',
  redisDb: Number(process.env.BENCH_REDIS_DB ?? -1),
  tokens: Number(process.env.BENCH_TOKENS ?? 1000),
}

/**
 * This run's own scratch directory (the UUID list wrk reads, the COPY
 * baseline's rows): a fixed path would be shared with a bench running beside.
 */
export const scratch = mkdtempSync(`${tmpdir()}/ngip-bench-`)

export function removeScratch() {
  rmSync(scratch, { recursive: true, force: true })
}

export const pgConfig = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
}

/** The environment of every process a benchmark starts. */
export function benchEnv(extra: Record<string, string> = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DB_DATABASE: bench.database,
    REDIS_DB: String(bench.redisDb),
    PING_RATE_LIMIT: '0',
    ...extra,
  }
}

export function ensureWrk() {
  if (spawnSync('wrk', ['--version']).error === undefined) {
    return
  }
  if (process.getuid?.() !== 0) {
    throw new Error('wrk is missing: apt-get install wrk')
  }
  console.log('bench: installing wrk with apt-get')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit', env })
}

export async function run(command: string, args: string[], env: NodeJS.ProcessEnv = benchEnv()) {
  const child = spawn(command, args, { cwd: bench.root, env, stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  const code = await new Promise((resolve) => child.on('exit', resolve))
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`)
  }
  return output
}

/**
 * Creates and migrates the bench database, and gives it one User with
 * `bench.tokens` Tokens, all known to the edge. Returns their ids and UUIDs.
 */
export async function prepare(redis: Redis) {
  const admin = new pg.Client({ ...pgConfig, database: 'postgres' })
  await admin.connect()
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [bench.database])
  if (!found.rowCount) {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(bench.database)}`)
  }
  await admin.end()
  await run(process.execPath, ['ace', 'migration:run', '--force'])

  const client = new pg.Client({ ...pgConfig, database: bench.database })
  await client.connect()
  await client.query('TRUNCATE users, tokens, pings, flips RESTART IDENTITY CASCADE')
  await client.query(
    `INSERT INTO users (email, password, ping_key, created_at) VALUES ('bench@example.com', '-', 'bench', now())`
  )
  // The User's own Project, as the app gives each: its Tokens and API key land there.
  await client.query(PROJECTS_BACKFILL)
  const { rows } = await client.query(
    `INSERT INTO tokens (uuid, user_id, name, created_at)
     SELECT gen_random_uuid(), 1, 'bench ' || n, now() FROM generate_series(1, $1) AS n
     RETURNING id, uuid`,
    [bench.tokens]
  )
  await client.end()
  await redis.flushdb()
  await redis.sadd(redisKeys.tokens, ...rows.map((row) => row.uuid))
  const uuidFile = `${scratch}/uuids.txt`
  writeFileSync(uuidFile, rows.map((row) => row.uuid).join('\n') + '\n')
  return { tokens: rows as { id: string; uuid: string }[], uuidFile }
}

export function assertRepository() {
  if (!existsSync(`${bench.root}/ace.js`)) {
    throw new Error('run the benchmarks from the repository (pnpm bench)')
  }
}
