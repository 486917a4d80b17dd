import { writeFileSync } from 'node:fs'
import type { Redis } from 'ioredis'
import pg from 'pg'
import { redisKeys } from '#lib/redis_keys'
import { bench, benchEnv, pgConfig, run, scratch } from './setup.js'
import { startRole } from './roles.js'
import { fillStream } from './edge_bench.js'

export interface IngestFigures {
  pings: number
  copyPerSecond: number
  ingestPerSecond: number
  ratio: number
}

type BenchToken = { id: string; uuid: string }

async function resetTables() {
  const client = new pg.Client({ ...pgConfig, database: bench.database })
  await client.connect()
  await client.query('TRUNCATE pings, flips')
  await client.query(
    "UPDATE tokens SET n_pings = 0, status = 'new', last_ping_at = NULL, alert_after = NULL"
  )
  await client.query('VACUUM ANALYZE pings, tokens')
  await client.end()
}

/** Pings waiting on the stream (an entry holds one or several). */
async function queuedPings(redis: Redis) {
  let count = 0
  let from = '-'
  for (;;) {
    const entries = await redis.xrange(redisKeys.pings, from, '+', 'COUNT', 10_000)
    for (const [, fields] of entries) {
      count += fields.filter((field, i) => i % 2 === 0 && field === 't').length
    }
    if (entries.length < 10_000) {
      return count
    }
    from = `(${entries[entries.length - 1][0]}`
  }
}

/**
 * The baseline: as many rows as pings, COPY'd by psql into the same table.
 * psql's own timing counts the COPY alone, not its start.
 */
async function copyBaseline(tokens: BenchToken[], count: number) {
  const file = `${scratch}/pings.tsv`
  const at = Date.now()
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const created = new Date(at + i).toISOString()
    const id = tokens[i % tokens.length].id
    lines.push(`${id}\tsuccess\t${created}\tGET\t127.0.0.1\twrk\t\\N\t\\N\t\\N\t\\N\t${at}-${i}`)
  }
  writeFileSync(file, lines.join('\n') + '\n')
  const columns =
    'token_id, kind, created_at, method, remote_addr, user_agent, exit_status, rid, duration_ms, body, stream_id'
  const output = await run('psql', [
    ...[
      '-h',
      pgConfig.host,
      '-p',
      String(pgConfig.port),
      '-U',
      pgConfig.user,
      '-d',
      bench.database,
    ],
    ...['-c', '\\timing on', '-c', `\\copy pings (${columns}) from '${file}'`],
  ])
  const ms = Number(/Time: ([\d.]+) ms/.exec(output)?.[1])
  return count / (ms / 1000)
}

/**
 * The worker role as `pnpm start` runs it (compiled, bin/roles.ts) drains the
 * stream; the clock runs from its "draining" line (booted) to the empty stream.
 */
async function drainWithWorker(redis: Redis, pings: number) {
  // BENCH_WORKER_NODE_ARGS: e.g. "--cpu-prof" to profile the worker.
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const worker = await startRole(
    'worker',
    benchEnv({ LOG_LEVEL: 'info' }),
    'draining the ping stream',
    nodeArgs
  )
  const startedAt = performance.now()
  while ((await redis.xlen(redisKeys.pings)) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const seconds = (performance.now() - startedAt) / 1000
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.kill('SIGTERM')
  await exited
  return pings / seconds
}

/**
 * Best of `rounds`: the edge fills the stream under load, psql COPYs as many
 * rows, then the worker drains the stream.
 */
export async function ingestBench(
  redis: Redis,
  tokens: BenchToken[],
  uuidFile: string,
  rounds = 2
): Promise<IngestFigures> {
  let copyPerSecond = 0
  let ingestPerSecond = 0
  let pings = 0
  for (let round = 0; round < rounds; round++) {
    await redis.del(redisKeys.pings)
    await fillStream(uuidFile)
    pings = await queuedPings(redis)
    await resetTables()
    copyPerSecond = Math.max(copyPerSecond, await copyBaseline(tokens, pings))
    await resetTables()
    ingestPerSecond = Math.max(ingestPerSecond, await drainWithWorker(redis, pings))
  }
  await resetTables()
  return { pings, copyPerSecond, ingestPerSecond, ratio: ingestPerSecond / copyPerSecond }
}
