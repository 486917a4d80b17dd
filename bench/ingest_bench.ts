import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { Redis } from 'ioredis'
import pg from 'pg'
import { encodePingMessage } from '#lib/ping_message'
import { redisKeys } from '#lib/redis_keys'
import { bench, benchEnv, pgConfig, run } from './setup.js'

export interface IngestFigures {
  pings: number
  copyPerSecond: number
  ingestPerSecond: number
  ratio: number
}

type BenchToken = { id: string; uuid: string }

const USER_AGENT = 'curl/8.5.0'

async function prefill(redis: Redis, tokens: BenchToken[], count: number) {
  await redis.del(redisKeys.pings)
  const at = Date.now()
  for (let start = 0; start < count; start += 5000) {
    const batch = redis.pipeline()
    for (let i = start; i < Math.min(count, start + 5000); i++) {
      const token = tokens[i % tokens.length].uuid
      batch.xadd(
        redisKeys.pings,
        '*',
        ...encodePingMessage({
          token,
          action: 'success',
          at: at + i,
          method: 'GET',
          remoteAddr: '127.0.0.1',
          userAgent: USER_AGENT,
          exitStatus: null,
          rid: null,
          body: null,
        })
      )
    }
    await batch.exec()
  }
  await redis.xgroup('CREATE', redisKeys.pings, redisKeys.ingestGroup, '0')
}

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

/**
 * The baseline: the same rows, COPY'd by psql into the same table. psql's
 * own timing counts the COPY alone, not its start.
 */
async function copyBaseline(tokens: BenchToken[], count: number) {
  const file = `${tmpdir()}/ngip-bench-pings.tsv`
  const at = Date.now()
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const created = new Date(at + i).toISOString()
    const id = tokens[i % tokens.length].id
    lines.push(
      `${id}\tsuccess\t${created}\tGET\t127.0.0.1\t${USER_AGENT}\t\\N\t\\N\t\\N\t\\N\t${at}-${i}`
    )
  }
  writeFileSync(file, lines.join('\n') + '\n')
  const columns =
    'token_id, kind, created_at, method, remote_addr, user_agent, exit_status, rid, duration_ms, body, stream_id'
  const output = await run('psql', [
    '-h',
    pgConfig.host,
    '-p',
    String(pgConfig.port),
    '-U',
    pgConfig.user,
    '-d',
    bench.database,
    '-c',
    '\\timing on',
    '-c',
    `\\copy pings (${columns}) from '${file}'`,
  ])
  const ms = Number(/Time: ([\d.]+) ms/.exec(output)?.[1])
  return count / (ms / 1000)
}

/**
 * The real worker (`node ace worker:run`) drains the pre-filled stream; the
 * clock runs from its first acknowledged batch to the empty stream.
 */
async function drainWithWorker(redis: Redis) {
  const total = await redis.xlen(redisKeys.pings)
  const worker = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []), 'ace', 'worker:run'],
    { cwd: bench.root, env: benchEnv(), stdio: ['ignore', 'ignore', 'inherit'] }
  )
  let startedAt = 0
  let startLength = 0
  for (;;) {
    const length = await redis.xlen(redisKeys.pings)
    if (!startedAt && length < total) {
      startedAt = performance.now()
      startLength = length
    }
    if (length === 0) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const seconds = (performance.now() - startedAt) / 1000
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.kill('SIGTERM')
  await exited
  return startLength / seconds
}

/**
 * Best of `rounds`, each a COPY then a drain of the same number of pings.
 */
export async function ingestBench(
  redis: Redis,
  tokens: BenchToken[],
  rounds = 2
): Promise<IngestFigures> {
  const count = Number(process.env.BENCH_PINGS ?? 100_000)
  let copyPerSecond = 0
  let ingestPerSecond = 0
  for (let round = 0; round < rounds; round++) {
    await resetTables()
    copyPerSecond = Math.max(copyPerSecond, await copyBaseline(tokens, count))
    await resetTables()
    await prefill(redis, tokens, count)
    ingestPerSecond = Math.max(ingestPerSecond, await drainWithWorker(redis))
  }
  await resetTables()
  return { pings: count, copyPerSecond, ingestPerSecond, ratio: ingestPerSecond / copyPerSecond }
}
