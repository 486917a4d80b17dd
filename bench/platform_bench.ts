import type { ChildProcess } from 'node:child_process'
import type { Redis } from 'ioredis'
import pg from 'pg'
import { redisKeys } from '#lib/redis_keys'
import { DEFAULT_INGEST_LINGER_MS } from '#lib/ingest_defaults'
import { DEFAULT_FLUSH_LINGER_MS, DEFAULT_REDIS_TIMEOUT_MS } from '#ping/config'
import { freePort } from '../bin/test_scope.ts'
import { bench, benchEnv, pgConfig } from './setup.js'
import { startServer, stop } from './processes.js'
import { CLIENTS, describeClient, load, type Client, type LoadFigures } from './load.js'
import { downRedisPort, REDIS_DOWN, slowest503, type RedisDown } from './redis_down.js'
import { cpuSeconds, roleArgs, roleSetting, rssMb, startRole } from './roles.js'

/** One sample of the pipeline while the load runs and drains */
export interface BacklogSample {
  seconds: number
  /** Stream entries not stored yet (an entry holds one or several pings) */
  entries: number
  /** Pings stored so far (Σ tokens.n_pings) */
  stored: number
}

export interface ProcessFigures {
  name: string
  maxRssMb: number
  /** CPU seconds over the load's wall seconds: 1 = one core busy */
  cpuShare: number
}

/** bare node:http with the same client, half the round's seconds just before the platform and half just after */
export interface BareFigures {
  before: LoadFigures
  after: LoadFigures
  /** The mean of both: a machine that speeds up or slows down during the round weighs on both sides */
  perSecond: number
}

export interface PlatformRound {
  client: Client
  bare: BareFigures
  edge: LoadFigures
  /** Pings answered 2xx by the edge */
  accepted: number
  stored: number
  /** From the load's start until the stream is empty */
  drainSeconds: number
  storedPerSecond: number
  ratio: number
  backlog: BacklogSample[]
  processes: ProcessFigures[]
  /** Rows in `pings` once drained (pruning keeps PING_LOG_LIMIT a Token) */
  rowsDrained: number
  /** Slowest 503 of an extra edge whose Redis is down, during the load */
  unavailableMs: Partial<Record<RedisDown, number>>
}

export interface PlatformFigures {
  rounds: PlatformRound[]
  seconds: number
  pingLogLimit: number
  conditions: string[]
}

/** The settings behind this bench's figures, as the roles got them */
const ROLE_SETTINGS = () =>
  [
    roleSetting('PING_REDIS_TIMEOUT_MS', DEFAULT_REDIS_TIMEOUT_MS),
    roleSetting('PING_FLUSH_LINGER_MS', DEFAULT_FLUSH_LINGER_MS),
    roleSetting('INGEST_LINGER_MS', DEFAULT_INGEST_LINGER_MS),
  ].join(', ')

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60)
const ROUNDS = Number(process.env.BENCH_PLATFORM_ROUNDS ?? 2)
const SAMPLE_SECONDS = 3
/** Low enough that every Token passes it within the load, so pruning runs */
const PING_LOG_LIMIT = Number(process.env.BENCH_PING_LOG_LIMIT ?? 20)
const DRAIN_TIMEOUT_MS = 300_000
/** BENCH_PROFILE_ARGS: node flags for the platform's edge and worker, e.g. "--cpu-prof --cpu-prof-dir=<dir>" */
const PROFILE_ARGS = process.env.BENCH_PROFILE_ARGS?.split(' ').filter(Boolean) ?? []

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The bench's own connection to the bench database, for its counts */
let db: pg.Client

async function query<T extends pg.QueryResultRow>(text: string) {
  const result = await db.query<T>(text)
  return result.rows
}

async function storedSoFar() {
  const [row] = await query<{ n: string }>('SELECT coalesce(sum(n_pings), 0) AS n FROM tokens')
  return Number(row.n)
}

/** Empty tables and stream: each round starts from nothing stored. */
async function reset(redis: Redis) {
  await query('TRUNCATE pings, flips')
  await query(
    "UPDATE tokens SET n_pings = 0, status = 'new', last_ping_at = NULL, alert_after = NULL"
  )
  await redis.del(redisKeys.pings)
}

async function pendingEntries(redis: Redis) {
  const pending = (await redis
    .xpending(redisKeys.pings, redisKeys.ingestGroup)
    .catch(() => [0])) as [number]
  return Number(pending[0])
}

/** The PostgreSQL backends serving the bench database (the worker's pool). */
async function backendPids() {
  const rows = await query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = '${bench.database}' AND pid <> pg_backend_pid()`
  )
  return rows.map((row) => row.pid)
}

async function redisServerPid(redis: Redis) {
  const info = await redis.info('server')
  return Number(/process_id:(\d+)/.exec(info)?.[1] ?? 0)
}

/**
 * Memory and CPU of each process while the load runs: the maximum RSS, and
 * CPU seconds over the load's wall seconds.
 */
function watch(processes: Map<string, number[]>) {
  const maxRss = new Map<string, number>()
  const cpuAt = () =>
    new Map(
      [...processes].map(([name, pids]) => [name, pids.reduce((s, p) => s + cpuSeconds(p), 0)])
    )
  const started = cpuAt()
  const startedAt = performance.now()
  const sample = () => {
    for (const [name, pids] of processes) {
      const rss = pids.reduce((sum, pid) => sum + rssMb(pid), 0)
      maxRss.set(name, Math.max(maxRss.get(name) ?? 0, rss))
    }
  }
  const timer = setInterval(sample, 500)
  return (): ProcessFigures[] => {
    clearInterval(timer)
    sample()
    const seconds = (performance.now() - startedAt) / 1000
    const ended = cpuAt()
    return [...processes.keys()].map((name) => ({
      name,
      maxRssMb: maxRss.get(name) ?? 0,
      cpuShare: (ended.get(name)! - started.get(name)!) / seconds,
    }))
  }
}

/**
 * While the platform is under load, an extra edge (started as the ping role
 * is) whose Redis is down: its slowest 503 of 200 pings.
 */
async function probeRedisDown(uuid: string, down: RedisDown) {
  const redis = await downRedisPort(down)
  const port = await freePort()
  const edge = await startRole(
    'ping',
    benchEnv({ PING_PORT: String(port), PING_HOST: '127.0.0.1', REDIS_PORT: String(redis.port) }),
    'ping edge listening'
  )
  try {
    redis.stall()
    return await slowest503(`http://127.0.0.1:${port}`, uuid)
  } finally {
    await stop(edge)
    await redis.close()
  }
}

async function bareRound(uuidFile: string, client: Client, seconds: number) {
  const port = await freePort()
  const server = await startServer(
    ['bench/bare_server.js'],
    { ...process.env, PORT: String(port) },
    'bare server'
  )
  try {
    return await load(port, uuidFile, server.pid!, client, seconds)
  } finally {
    await stop(server)
  }
}

async function platformRound(
  redis: Redis,
  uuidFile: string,
  uuid: string,
  client: Client,
  probe: boolean
) {
  await reset(redis)
  const children: ChildProcess[] = []
  try {
    const worker = await startRole(
      'worker',
      benchEnv({ LOG_LEVEL: 'info', PING_LOG_LIMIT: String(PING_LOG_LIMIT) }),
      'draining the ping stream',
      PROFILE_ARGS
    )
    children.push(worker)
    const port = await freePort()
    const edge = await startRole(
      'ping',
      benchEnv({ PING_PORT: String(port), PING_HOST: '127.0.0.1' }),
      'ping edge listening',
      PROFILE_ARGS
    )
    children.push(edge)
    const processes = new Map([
      ['edge (ping role)', [edge.pid!]],
      ['worker role', [worker.pid!]],
      // Opened lazily: the pool is there once the worker stored its first batch.
      ['PostgreSQL (the bench database backends)', [] as number[]],
      ['Redis server (shared with other runs)', [await redisServerPid(redis)]],
    ])
    const backlog: BacklogSample[] = []
    const startedAt = performance.now()
    const sampleBacklog = async () =>
      backlog.push({
        seconds: (performance.now() - startedAt) / 1000,
        entries: await redis.xlen(redisKeys.pings),
        stored: await storedSoFar(),
      })
    const sampler = setInterval(() => void sampleBacklog(), SAMPLE_SECONDS * 1000)
    const watched = (async () => {
      await sleep(2000)
      processes.set('PostgreSQL (the bench database backends)', await backendPids())
      return watch(processes)
    })()
    const unavailableMs: Partial<Record<RedisDown, number>> = {}
    const probes = probe
      ? (async () => {
          await sleep(Math.min(5000, (SECONDS * 1000) / 4))
          for (const down of REDIS_DOWN) {
            unavailableMs[down] = await probeRedisDown(uuid, down)
          }
        })()
      : Promise.resolve()
    const figures = await load(port, uuidFile, edge.pid!, client, SECONDS)
    const processFigures = (await watched)()
    const deadline = Date.now() + DRAIN_TIMEOUT_MS
    while ((await redis.xlen(redisKeys.pings)) + (await pendingEntries(redis)) > 0) {
      if (Date.now() > deadline) {
        throw new Error('the worker did not drain the stream within 5 minutes')
      }
      await sleep(100)
    }
    const drainSeconds = (performance.now() - startedAt) / 1000
    // After the drain's clock: on a short load the probes may outlast it.
    await probes
    clearInterval(sampler)
    await sampleBacklog()
    const stored = await storedSoFar()
    const [{ n }] = await query<{ n: string }>('SELECT count(*) AS n FROM pings')
    return {
      edge: figures,
      accepted: figures.requests - figures.non2xx,
      stored,
      drainSeconds,
      storedPerSecond: stored / drainSeconds,
      backlog,
      processes: processFigures,
      rowsDrained: Number(n),
      unavailableMs,
    }
  } finally {
    for (const child of children.reverse()) {
      await stop(child)
    }
  }
}

/**
 * The whole platform as `pnpm start` runs it (the ping and worker roles,
 * PostgreSQL, Redis) under a sustained load, once per client kind, each
 * beside a bare node:http server loaded by the same client in the same run.
 */
export async function platformBench(
  redis: Redis,
  uuidFile: string,
  uuid: string
): Promise<PlatformFigures> {
  db = new pg.Client({ ...pgConfig, database: bench.database })
  await db.connect()
  const rounds: PlatformRound[] = []
  // The baseline brackets each platform round: on a shared machine whose speed drifts, a
  // baseline taken on one side only would move the ratio with the drift.
  const bareSeconds = Math.max(5, Math.round(SECONDS / 2))
  for (let round = 0; round < ROUNDS; round++) {
    for (const client of CLIENTS) {
      const before = await bareRound(uuidFile, client, bareSeconds)
      const platform = await platformRound(redis, uuidFile, uuid, client, client === 'keep-alive')
      const after = await bareRound(uuidFile, client, bareSeconds)
      const bare = { before, after, perSecond: (before.perSecond + after.perSecond) / 2 }
      rounds.push({
        client,
        bare,
        ...platform,
        ratio: platform.storedPerSecond / bare.perSecond,
      })
    }
  }
  await reset(redis)
  // CI servers often run PostgreSQL with autovacuum off: say which this run had.
  const [vacuum] = await query<{ autovacuum: string }>('SHOW autovacuum')
  await db.end()
  return {
    rounds,
    seconds: SECONDS,
    pingLogLimit: PING_LOG_LIMIT,
    conditions: [
      ...CLIENTS.map((client) => `${client}: ${describeClient(client, SECONDS)}`),
      `roles started as \`pnpm start\` starts them (bin/roles.ts): ping \`node ${roleArgs('ping')}\`, worker \`node ${roleArgs('worker')}\` (web and scheduler not started); NODE_ENV=production, PING_RATE_LIMIT=0, PING_LOG_LIMIT=${PING_LOG_LIMIT}, ${ROLE_SETTINGS()}, ${bench.tokens} Tokens picked at random`,
      `each round starts from empty \`pings\`, \`flips\` and stream; ${ROUNDS} round(s) a client; bare node:http ${bareSeconds} s just before and ${bareSeconds} s just after each platform round, the ratio against the mean of both`,
      `PostgreSQL autovacuum ${vacuum?.autovacuum ?? 'unknown'} (the worker vacuums \`tokens\` and \`pings\` itself when their dead rows outnumber the live ones)`,
    ],
  }
}

export interface RedisDownFigures {
  /** Slowest 503 of each probe, by the way Redis is down, one a round */
  slowestMs: Record<RedisDown, number[]>
  /** The platform's own edge meanwhile: answers/s and non-2xx */
  platform: { perSecond: number; non2xx: number }
  rounds: number
  conditions: string
}

const REDIS_DOWN_ROUNDS = Number(process.env.BENCH_REDIS_DOWN_ROUNDS ?? 3)

/**
 * `BENCH_ONLY=redis-down`: the Redis-down probes of the platform bench alone,
 * repeated: the ping and worker roles under a keep-alive load (in 10 s wrk
 * runs until the probes are done), and beside them an extra ping role whose
 * Redis is down, each way, BENCH_REDIS_DOWN_ROUNDS times.
 */
export async function redisDownBench(
  redis: Redis,
  uuidFile: string,
  uuid: string
): Promise<RedisDownFigures> {
  db = new pg.Client({ ...pgConfig, database: bench.database })
  await db.connect()
  await reset(redis)
  const children: ChildProcess[] = []
  try {
    children.push(
      await startRole(
        'worker',
        benchEnv({ LOG_LEVEL: 'info', PING_LOG_LIMIT: String(PING_LOG_LIMIT) }),
        'draining the ping stream'
      )
    )
    const port = await freePort()
    const edge = await startRole(
      'ping',
      benchEnv({ PING_PORT: String(port), PING_HOST: '127.0.0.1' }),
      'ping edge listening'
    )
    children.push(edge)
    const slowestMs = Object.fromEntries(
      REDIS_DOWN.map((down) => [down, [] as number[]])
    ) as Record<RedisDown, number[]>
    let done = false
    const probes = (async () => {
      await sleep(3000)
      for (let round = 0; round < REDIS_DOWN_ROUNDS; round++) {
        for (const down of REDIS_DOWN) {
          const ms = await probeRedisDown(uuid, down)
          console.log(
            `bench redis-down: round ${round + 1}, ${down}: slowest 503 ${ms.toFixed(1)} ms`
          )
          slowestMs[down].push(ms)
        }
      }
    })().finally(() => (done = true))
    let requests = 0
    let non2xx = 0
    let seconds = 0
    while (!done) {
      const figures = await load(port, uuidFile, edge.pid!, 'keep-alive', 10)
      requests += figures.requests
      non2xx += figures.non2xx
      seconds += 10
    }
    await probes
    return {
      slowestMs,
      platform: { perSecond: requests / seconds, non2xx },
      rounds: REDIS_DOWN_ROUNDS,
      conditions: `the ping and worker roles as \`pnpm start\` starts them (ping \`node ${roleArgs('ping')}\`, worker \`node ${roleArgs('worker')}\`) under ${describeClient('keep-alive', 10)}, repeated until the probes are done; beside them an extra ping role, started the same way, whose Redis is down; ${REDIS_DOWN_ROUNDS} rounds of each way; PING_LOG_LIMIT=${PING_LOG_LIMIT}, ${ROLE_SETTINGS()}, ${bench.tokens} Tokens`,
    }
  } finally {
    for (const child of children.reverse()) {
      await stop(child)
    }
    await reset(redis)
    await db.end()
  }
}
