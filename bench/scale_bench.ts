import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { cpus, tmpdir } from 'node:os'
import { Redis } from 'ioredis'
import pg from 'pg'
import { redisKeys } from '#lib/redis_keys'
import { claimRunScope, freePort } from '../bin/test_scope.js'
import { bench, pgConfig } from './setup.js'
import { buildEdge, startServer, stop } from './processes.js'
import { EDGE_NODE_OPTIONS } from './edge_bench.js'

/**
 * `BENCH_ONLY=scale BENCH_SCALE=10000,100000,1000000 pnpm bench`: the
 * platform at 10 k, 100 k and 1 M Tokens with 10 M Pings, in its own
 * database and a claimed Redis database (beside tests and `pnpm start`).
 * Tokens are added between scales (never reseeded); the Pings go to the
 * first 10,000 Tokens once.
 */
const SCALES = (process.env.BENCH_SCALE ?? '10000,100000,1000000').split(',').map(Number)
const PINGS = Number(process.env.BENCH_SCALE_PINGS ?? 10_000_000)
const DATABASE = process.env.BENCH_SCALE_DATABASE ?? 'ngip_bench_scale'
/** Seconds of the edge load at each scale; the last scale's load spans two syncs */
const EDGE_SECONDS = Number(process.env.BENCH_SCALE_EDGE_SECONDS ?? 10)
const SYNC_LOAD_SECONDS = Number(process.env.BENCH_SCALE_SYNC_LOAD_SECONDS ?? 75)
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 100)
const LIMIT = 1000
/** The Tokens that hold the Pings: the first 10,000 (fewer when a scale is smaller) */
const PINGED_TOKENS = Math.min(10_000, ...SCALES)
const OVERDUE = 1000
const OWNER = 'owner@example.com'
const ADMIN = 'admin@example.com'
const PASSWORD = 'bench-password-1'

export interface ScaleRow {
  tokens: number
  pings: number
  edgePerSecond: number
  edgeNon2xx: number
  setMemoryMb: number
  syncFromEmptyMs: number
  syncInStepMs: number
  lateMs: number
  lateFlipped: number
  /** Dashboard page times (median of SAMPLES), ms */
  dashboard: Record<string, number>
  /** p95 of the API calls, ms */
  apiListP95Ms: number
  apiPageP95Ms: number
  pruneDirty: { visited: number; deleted: number; ms: number }
  pruneAll: { visited: number; deleted: number; ms: number }
}

export interface SyncLoad {
  tokens: number
  seconds: number
  perSecond: number
  non2xx: number
  /** The edge's non-2xx answers while a sync ran and outside, from its metrics */
  refused: { duringSyncs: number; outside: number }
  /** How long each scheduled sync during the load held its lock, ms */
  syncs: number[]
}

const log = (message: string) => console.log(`bench scale: ${message}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentile(values: number[], fraction: number) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]
}

/** Runs a command to its end; its stdout. */
function run(args: string[], env: NodeJS.ProcessEnv, command = process.execPath) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: bench.root,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${args.join(' ')} failed (${code}):\n${output}`))
    )
  })
}

const lastJson = (output: string) => JSON.parse(output.trim().split('\n').pop()!)

/** Creates the database if needed, migrates it, makes the two Users. */
async function prepareDatabase(env: NodeJS.ProcessEnv) {
  const admin = new pg.Client({ ...pgConfig, database: 'postgres' })
  await admin.connect()
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])
  if (!found.rowCount) {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(DATABASE)}`)
  }
  await admin.end()
  await run(['ace', 'migration:run', '--force'], env)
  const client = new pg.Client({ ...pgConfig, database: DATABASE })
  await client.connect()
  const users = await client.query('SELECT email FROM users')
  const emails = new Set(users.rows.map((row) => row.email))
  await client.end()
  for (const [email, extra] of [
    [OWNER, []],
    [ADMIN, ['--admin']],
  ] as const) {
    if (!emails.has(email)) {
      await run(['ace', 'user:create', '--email', email, '--password', PASSWORD, ...extra], env)
    }
  }
}

/**
 * Adds the owner's Tokens up to `total` in one statement: mostly up, and by
 * n mod 1000: 1 % down, 1 % paused, 5 % new, 0.5 % in a run, 0.5 % late
 * (in their grace); twenty tags.
 */
async function seedTokens(client: pg.Client, total: number) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM tokens')
  const have = rows[0].n
  if (have >= total) {
    return
  }
  log(`adding Tokens ${have + 1}..${total}`)
  const started = performance.now()
  // ids follow n (the Pings and the pruning pick Tokens by id), also after a failed insert
  await client.query(
    "SELECT setval(pg_get_serial_sequence('tokens', 'id'), coalesce(max(id), 0) + 1, false) FROM tokens"
  )
  // project_tags follows the insert per statement (migration 0081): one net change per tag.
  {
    await client.query(
      `INSERT INTO tokens (uuid, user_id, name, tags, status, timeout, grace, last_ping_at,
         last_start_at, alert_after, created_at, updated_at)
       SELECT gen_random_uuid(), (SELECT id FROM users WHERE email = $3),
         'job ' || lpad(((n::bigint * 7919) % 1000003)::text, 7, '0'), ARRAY['team-' || n % 20],
         CASE WHEN m < 10 THEN 'down' WHEN m < 20 THEN 'paused' WHEN m < 70 THEN 'new' ELSE 'up' END,
         3600, CASE WHEN m BETWEEN 75 AND 79 THEN 7200 ELSE 600 END,
         CASE WHEN m < 70 AND m >= 20 THEN NULL ELSE now() - (n % 3600) * interval '1 second' END,
         CASE WHEN m BETWEEN 70 AND 74 THEN now() - interval '1 minute' END,
         CASE WHEN m < 70 THEN NULL ELSE now() + (1800 + n % 1800) * interval '1 second' END,
         now(), now()
       FROM generate_series($1::int, $2::int) AS n, LATERAL (SELECT n % 1000 AS m) AS k`,
      [have + 1, total, OWNER]
    )
  }
  await client.query('VACUUM ANALYZE tokens')
  log(`Tokens added in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

/**
 * PINGS Pings over the first PINGED_TOKENS Tokens, once. Each Token counts
 * 5,000 Pings ever and was pruned to the limit; 1 % got 100 more since.
 */
async function seedPings(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::bigint AS n FROM pings')
  if (Number(rows[0].n) < PINGS) {
    log(`seeding ${PINGS.toLocaleString('en')} Pings (a few minutes at 10 M)`)
    const started = performance.now()
    await client.query('TRUNCATE pings')
    const step = 1_000_000
    for (let from = 0; from < PINGS; from += step) {
      await client.query(
        `INSERT INTO pings (token_id, kind, created_at, method, remote_addr, user_agent)
         SELECT 1 + (n % $3), 'success', now() - (n / $3) * interval '1 minute', 'GET',
           '127.0.0.1', 'curl/8.5.0'
         FROM generate_series($1::bigint, $2::bigint) AS n`,
        [from, Math.min(PINGS, from + step) - 1, PINGED_TOKENS]
      )
      log(`  ${Math.min(PINGS, from + step).toLocaleString('en')} Pings`)
    }
    await client.query('VACUUM ANALYZE pings')
    log(`Pings seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
}

/**
 * Every pinged Token has counted 5,000 Pings and holds `perToken`; 1 % hold
 * 100 more than the limit, not pruned since.
 */
async function rearmPruning(client: pg.Client, perToken: number) {
  await client.query(
    `UPDATE tokens SET n_pings = 5000, n_pings_pruned = 5000 WHERE id <= $1 AND n_pings <> 5000`,
    [PINGED_TOKENS]
  )
  const dirty = await client.query(
    `SELECT id FROM tokens WHERE id <= $1 AND id % 100 = 0 ORDER BY id`,
    [PINGED_TOKENS]
  )
  const ids = dirty.rows.map((row) => Number(row.id))
  const extra = perToken - LIMIT + 100
  if (extra > 0) {
    await client.query(
      `INSERT INTO pings (token_id, kind, created_at, method, remote_addr, user_agent)
       SELECT t.id, 'success', now(), 'GET', '127.0.0.1', 'curl/8.5.0'
       FROM unnest($1::bigint[]) AS t(id), generate_series(1, $2)`,
      [ids, extra]
    )
  }
  await client.query('UPDATE tokens SET n_pings = 5100 WHERE id = ANY($1::bigint[])', [ids])
}

/** OVERDUE up Tokens past their alert_after, for one late-detection pass. */
/** Deadlines seeded a while ago may have passed since: due again within the hour. */
async function refreshDeadlines(client: pg.Client) {
  await client.query(
    `UPDATE tokens SET alert_after = now() + (1800 + id % 1800) * interval '1 second'
     WHERE status = 'up' AND alert_after < now() + interval '10 minutes'`
  )
}

async function armOverdue(client: pg.Client) {
  await refreshDeadlines(client)
  await client.query(
    `UPDATE tokens SET status = 'up', alert_after = now() - interval '1 minute', last_start_at = NULL
     WHERE id IN (SELECT id FROM tokens WHERE id % 1000 >= 100 ORDER BY id LIMIT $1)`,
    [OVERDUE]
  )
}

async function setSample(client: pg.Client, count: number) {
  const { rows } = await client.query('SELECT uuid FROM tokens ORDER BY random() LIMIT $1', [count])
  const file = `${tmpdir()}/ngip-bench-scale-uuids.txt`
  writeFileSync(file, rows.map((row) => row.uuid).join('\n') + '\n')
  return file
}

async function startEdge(
  env: NodeJS.ProcessEnv,
  port: number,
  metrics: { port: number; token: string }
) {
  return startServer(
    [...EDGE_NODE_OPTIONS.split(' '), await buildEdge()],
    {
      ...env,
      PING_PORT: String(port),
      PING_HOST: '127.0.0.1',
      PING_METRICS_PORT: String(metrics.port),
      METRICS_TOKEN: metrics.token,
    },
    'ping edge listening'
  )
}

async function wrk(port: number, seconds: number, uuidFile: string) {
  const output = await run(
    [
      '-t',
      '2',
      '-c',
      '64',
      '-d',
      String(seconds),
      '-s',
      'bench/wrk_pings.lua',
      `http://127.0.0.1:${port}`,
    ],
    { ...process.env, NGIP_UUIDS: uuidFile },
    'wrk'
  )
  for (const line of output.split('\n').filter((text) => text.startsWith('answer '))) {
    log(line)
  }
  return {
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
  }
}

/** The edge's answers other than 200/201 so far, from its metrics listener. */
async function edgeRefusals(metrics: { port: number; token: string }) {
  const response = await fetch(`http://127.0.0.1:${metrics.port}/metrics`, {
    headers: { authorization: `Bearer ${metrics.token}` },
  })
  const text = await response.text()
  let refused = 0
  for (const match of text.matchAll(/^ngip_edge_pings_total\{answer="([a-z_]+)"\} (\d+)/gm)) {
    refused += ['ok', 'created', 'preflight'].includes(match[1]) ? 0 : Number(match[2])
  }
  return refused
}

/**
 * Watches the sync lock (how long each sync that ran meanwhile held it) and
 * the edge's refusals, told apart by whether a sync ran: on this shared
 * machine an edge under load misses its 100 ms Redis deadline now and then
 * whatever Redis does, so the figure that speaks for the sync is the one
 * while it runs, next to the one outside.
 */
function watchSyncs(redis: Redis, metrics: { port: number; token: string }) {
  const held: number[] = []
  const refused = { duringSyncs: 0, outside: 0 }
  let since = 0
  let stopped = false
  const done = (async () => {
    let seen = await edgeRefusals(metrics)
    let wasLocked = false
    while (!stopped) {
      const locked = (await redis.exists(redisKeys.syncLock)) === 1
      if (locked && since === 0) {
        since = performance.now()
      } else if (!locked && since > 0) {
        held.push(performance.now() - since)
        since = 0
      }
      const now = await edgeRefusals(metrics)
      refused[locked || wasLocked ? 'duringSyncs' : 'outside'] += now - seen
      seen = now
      wasLocked = locked
      await sleep(20)
    }
  })()
  return async () => {
    stopped = true
    await done
    if (since > 0) {
      // still running when the load ended
      held.push(performance.now() - since)
    }
    return { held, refused }
  }
}

/**
 * The issue's target: an edge load that spans two scheduled syncs. The
 * scheduler runs as `pnpm start` runs it (booted before the load, checks each
 * minute), with TOKENS_SYNC_INTERVAL_S=1 so that each minute's check is a
 * full sync; the load starts ten seconds before a minute begins and lasts
 * `seconds` (at least 75), so two minute marks fall inside it.
 */
async function loadAcrossSyncs(
  env: NodeJS.ProcessEnv,
  redis: Redis,
  edgePort: number,
  metrics: { port: number; token: string },
  uuidFile: string,
  tokens: number,
  seconds: number
): Promise<SyncLoad> {
  const scheduler = spawn(process.execPath, ['ace', 'scheduler:run'], {
    cwd: bench.root,
    env: { ...env, TOKENS_SYNC_INTERVAL_S: '1' },
    stdio: 'ignore',
  })
  try {
    await sleep(15_000)
    const wait = (((50 - new Date().getSeconds()) % 60) + 60) % 60
    log(`edge under load for ${seconds} s spanning two scheduled syncs (starts in ${wait} s)`)
    await sleep(wait * 1000 - new Date().getMilliseconds())
    await redis.del(redisKeys.pings)
    const watching = watchSyncs(redis, metrics)
    const figures = await wrk(edgePort, Math.max(75, seconds), uuidFile)
    const { held: syncs, refused } = await watching()
    log(
      `  ${figures.perSecond.toFixed(0)} req/s, ${figures.non2xx} non-2xx (${refused.duringSyncs} while a sync ran, ${refused.outside} outside); ${syncs.length} syncs held the lock ${syncs.map((ms) => ms.toFixed(0)).join(', ')} ms`
    )
    return { tokens, seconds: Math.max(75, seconds), ...figures, refused, syncs }
  } finally {
    // A scheduler in the middle of a task may not stop on SIGTERM for long.
    const stopped = stop(scheduler)
    const timer = setTimeout(() => scheduler.kill('SIGKILL'), 20_000)
    await stopped
    clearTimeout(timer)
  }
}

async function sync(env: NodeJS.ProcessEnv) {
  const result = lastJson(await run(['ace', 'tokens:sync', '--json'], env))
  if (result.busy) {
    throw new Error('another tokens:sync held the lock')
  }
  return result as { tokens: number; added: number; removed: number; ms: number }
}

/** The web from its sources (the TypeScript loader, as `pnpm web`). */
async function startWeb(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: bench.root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', API_RATE_LIMIT: '1000000' },
    stdio: 'ignore',
  })
  for (let i = 0; i < 240; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (response) => response.ok,
      () => false
    )
    if (up) {
      return child
    }
    await sleep(250)
  }
  child.kill()
  throw new Error('the web did not start')
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/** One GET over a kept-alive connection; its time in ms. */
function timedGet(port: number, path: string, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now()
    const request = http.get({ host: '127.0.0.1', port, path, agent, headers }, (response) => {
      response.resume()
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${path} answered ${response.statusCode}`))
        } else {
          resolve(performance.now() - started)
        }
      })
    })
    request.on('error', reject)
  })
}

/** Signs in through the login form; the session cookie. */
async function signIn(port: number, email: string) {
  const form = await fetch(`http://127.0.0.1:${port}/login`)
  const cookies = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0])
  const csrf = /name=['"]_csrf['"] value=['"]([^'"]+)/.exec(await form.text())?.[1] ?? ''
  const response = await fetch(`http://127.0.0.1:${port}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': cookies.join('; ') },
    body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString(),
  })
  const signedIn = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0])
  const jar = new Map([...cookies, ...signedIn].map((cookie) => [cookie.split('=')[0], cookie]))
  if (response.status !== 302 || response.headers.get('location')?.includes('login')) {
    throw new Error(`sign-in as ${email} failed (${response.status})`)
  }
  return [...jar.values()].join('; ')
}

async function samples(port: number, path: string, headers: Record<string, string>) {
  for (let i = 0; i < 5; i++) {
    await timedGet(port, path, headers)
  }
  const times: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    times.push(await timedGet(port, path, headers))
  }
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

async function webFigures(env: NodeJS.ProcessEnv, client: pg.Client) {
  const created = await run(['ace', 'apikey:create', '--email', OWNER, '--name', 'bench'], env)
  const key = created.trim().split('\n').pop()!
  const { rows } = await client.query('SELECT uuid FROM tokens WHERE id = 42')
  const port = Number(env.PORT)
  const web = await startWeb(env, port)
  try {
    const owner = { cookie: await signIn(port, OWNER) }
    const admin = { cookie: await signIn(port, ADMIN) }
    const bearer = { authorization: `Bearer ${key}` }
    const dashboard: Record<string, number> = {}
    for (const [name, path, headers] of [
      ['owner, newest', '/dashboard', owner],
      ['owner, Down first', '/dashboard?sort=status', owner],
      ['owner, name', '/dashboard?sort=name', owner],
      ['owner, tag filter', '/dashboard?tag=team-3', owner],
      ['admin (all Users), newest', '/dashboard', admin],
      ['admin (all Users), Down first', '/dashboard?sort=status', admin],
    ] as const) {
      const figures = await samples(port, path, headers)
      dashboard[name] = figures.p50
      log(`dashboard ${name}: p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms`)
    }
    const list = await samples(port, '/api/v1/tokens?limit=50', bearer)
    const page = await samples(port, `/api/v1/tokens/${rows[0].uuid}/pings?limit=50`, bearer)
    log(`API list p95 ${list.p95.toFixed(1)} ms, API Ping page p95 ${page.p95.toFixed(1)} ms`)
    return { dashboard, apiListP95Ms: list.p95, apiPageP95Ms: page.p95 }
  } finally {
    await stop(web)
  }
}

async function measureScale(
  env: NodeJS.ProcessEnv,
  client: pg.Client,
  redis: Redis,
  total: number,
  loadSeconds: number
): Promise<{ row: ScaleRow; load?: SyncLoad }> {
  log(`--- ${total.toLocaleString('en')} Tokens ---`)
  await seedTokens(client, total)
  await seedPings(client)
  await refreshDeadlines(client)
  await redis.flushdb()
  log('tokens:sync from an empty set')
  const fromEmpty = await sync(env)
  log(`  ${fromEmpty.added} added in ${fromEmpty.ms.toFixed(0)} ms`)
  const inStep = await sync(env)
  log(`tokens:sync with the set in step: ${inStep.ms.toFixed(0)} ms`)
  const setMemoryMb =
    Number(await redis.call('MEMORY', 'USAGE', redisKeys.tokens, 'SAMPLES', '0')) / 1048576

  const uuidFile = await setSample(client, Math.min(total, 100_000))
  const edgePort = await freePort()
  const metrics = { port: await freePort(), token: randomBytes(12).toString('hex') }
  const edge = await startEdge(env, edgePort, metrics)
  let edgeFigures
  let load: SyncLoad | undefined
  try {
    edgeFigures = await wrk(edgePort, EDGE_SECONDS, uuidFile)
    log(`edge ${edgeFigures.perSecond.toFixed(0)} req/s, ${edgeFigures.non2xx} non-2xx`)
    if (loadSeconds > 0) {
      load = await loadAcrossSyncs(env, redis, edgePort, metrics, uuidFile, total, loadSeconds)
    }
  } finally {
    await stop(edge)
    await redis.del(redisKeys.pings)
  }

  await armOverdue(client)
  const late = lastJson(await run(['ace', 'tokens:late', '--json'], env))
  log(`late detection: ${late.flipped} of ${OVERDUE} overdue flipped in ${late.ms.toFixed(0)} ms`)

  const web = await webFigures(env, client)

  await rearmPruning(client, Math.floor(PINGS / PINGED_TOKENS))
  const pruneDirty = lastJson(await run(['ace', 'pings:prune', '--json'], env))
  log(`pruning sweep (dirty Tokens): ${JSON.stringify(pruneDirty)}`)
  const pruneAll = lastJson(await run(['ace', 'pings:prune', '--full', '--json'], env))
  log(`pruning sweep (every Token past the limit, as before): ${JSON.stringify(pruneAll)}`)

  return {
    row: {
      tokens: total,
      pings: PINGS,
      edgePerSecond: edgeFigures.perSecond,
      edgeNon2xx: edgeFigures.non2xx,
      setMemoryMb,
      syncFromEmptyMs: fromEmpty.ms,
      syncInStepMs: inStep.ms,
      lateMs: late.ms,
      lateFlipped: late.flipped,
      ...web,
      pruneDirty,
      pruneAll,
    },
    load,
  }
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en', { maximumFractionDigits: digits })

/** The scale table, in Markdown, and the conditions it was measured under. */
export function scaleTable(rows: ScaleRow[], load: SyncLoad | undefined) {
  const header = `| measure | ${rows.map((row) => `${fmt(row.tokens)} Tokens`).join(' | ')} |`
  const line = (name: string, cell: (row: ScaleRow) => string) =>
    `| ${name} | ${rows.map(cell).join(' | ')} |`
  const dashboards = Object.keys(rows[0]?.dashboard ?? {})
  const lines = [
    header,
    `|---|${rows.map(() => '---|').join('')}`,
    line('Pings in the table', (row) => fmt(row.pings)),
    line(
      `edge req/s (wrk 2 threads, 64 conns, ${EDGE_SECONDS} s) / non-2xx`,
      (row) => `${fmt(row.edgePerSecond)} / ${row.edgeNon2xx}`
    ),
    line('Redis memory of the Token set (MB)', (row) => fmt(row.setMemoryMb, 1)),
    line('tokens:sync from an empty set (ms)', (row) => fmt(row.syncFromEmptyMs)),
    line('tokens:sync with the set in step (ms)', (row) => fmt(row.syncInStepMs)),
    line(`late-detection pass, ${OVERDUE} overdue (ms)`, (row) => fmt(row.lateMs)),
    ...dashboards.map((name) =>
      line(`dashboard page, ${name} (p50 ms)`, (row) => fmt(row.dashboard[name], 1))
    ),
    line('API Token list, 50 (p95 ms)', (row) => fmt(row.apiListP95Ms, 1)),
    line('API Ping page, 50 of 1,000 (p95 ms)', (row) => fmt(row.apiPageP95Ms, 1)),
    line(
      'pruning sweep, Tokens with new Pings (Tokens / rows / ms)',
      (row) =>
        `${fmt(row.pruneDirty.visited)} / ${fmt(row.pruneDirty.deleted)} / ${fmt(row.pruneDirty.ms)}`
    ),
    line(
      'same, visiting every Token past the limit as before (Tokens / ms)',
      (row) => `${fmt(row.pruneAll.visited)} / ${fmt(row.pruneAll.ms)}`
    ),
  ]
  const loadLine = load
    ? `- ${load.seconds} s edge load over ${fmt(load.tokens)} Tokens spanning ${load.syncs.length} scheduled syncs (the scheduler running, \`TOKENS_SYNC_INTERVAL_S=1\` so each minute's check is a full sync; the syncs held their lock ${load.syncs.map((ms) => fmt(ms)).join(' and ')} ms): ${fmt(load.perSecond)} req/s, **${load.non2xx} non-2xx**, of which ${load.refused.duringSyncs} while a sync ran and ${load.refused.outside} outside (the edge's own count, polled every 20 ms).`
    : ''
  return { lines, loadLine }
}

/** Where the scale table sits in bench/RESULTS.md; `pnpm bench` keeps it when it rewrites the rest. */
export const SCALE_SECTION = { start: '<!-- scale -->', end: '<!-- /scale -->' }

/** The scale section of an existing RESULTS.md, or ''. */
export function scaleSection(results: string) {
  const start = results.indexOf(SCALE_SECTION.start)
  const end = results.indexOf(SCALE_SECTION.end)
  return start >= 0 && end > start ? results.slice(start, end + SCALE_SECTION.end.length) : ''
}

function writeSection(lines: string[], loadLine: string) {
  const file = new URL('RESULTS.md', import.meta.url)
  const results = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n'
  const section = [
    SCALE_SECTION.start,
    '## Scale',
    '',
    `Latest run of \`BENCH_ONLY=scale BENCH_SCALE=${SCALES.join(',')} pnpm bench\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, whether the machine was shared is said in the notes below, written by hand: single figures move between runs).`,
    '',
    ...lines,
    '',
    loadLine,
    `- ${fmt(PINGS)} Pings over the first ${fmt(PINGED_TOKENS)} Tokens (PING_LOG_LIMIT=${LIMIT}); Tokens seeded with \`generate_series\`: 1 % down, 1 % paused, 5 % new, 0.5 % in a run, 0.5 % in their grace, the rest up; one User owns them all, an admin sees them all.`,
    '- Edge: compiled as in the image, the Token set in Redis, pings enqueued for real (no worker); Tokens picked at random from 100,000 of the set.',
    "- Sync: `tokens:sync --json` (time of the sync alone, the command's boot excluded) after the Redis database was emptied, then again with the set in step (what the hourly check costs).",
    `- Late detection: \`tokens:late --json\`, ${OVERDUE} Tokens overdue.`,
    `- Web from its sources (TypeScript loader, NODE_ENV=production), ${SAMPLES} calls each after 5 warm-up ones over a kept-alive connection; dashboard = the whole HTML page (list of 100, tag list, owners).`,
    '- Pruning: `pings:prune --json` with 1 % of the pinged Tokens holding 100 Pings past the limit and the rest pruned before (each counts 5,000 Pings ever); then `--full`, which visits every Token past the limit as the sweep did before (nothing left to delete).',
    SCALE_SECTION.end,
  ].join('\n')
  const current = scaleSection(results)
  writeFileSync(
    file,
    current ? results.replace(current, section) : `${results.trimEnd()}\n\n${section}\n`
  )
}

export async function scaleBench() {
  const scope = await claimRunScope(bench.root, {
    ...process.env,
    DB_DATABASE: DATABASE,
    REDIS_DB: '',
  })
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...scope.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DB_DATABASE: DATABASE,
    PING_RATE_LIMIT: '0',
    PING_LOG_LIMIT: String(LIMIT),
  }
  log(`database ${DATABASE}, Redis database ${env.REDIS_DB}, scales ${SCALES.join(', ')}`)
  const redis = new Redis({
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    password: process.env.REDIS_PASSWORD || undefined,
    db: Number(env.REDIS_DB),
  })
  const client = new pg.Client({ ...pgConfig, database: DATABASE })
  try {
    await prepareDatabase(env)
    await client.connect()
    // Tokens are added from scale to scale; a bigger table from an earlier run starts over.
    const { rows: have } = await client.query(
      'SELECT count(*)::int AS n, coalesce(min(id), 1)::int AS first FROM tokens'
    )
    if (have[0].first !== 1) {
      log('starting over: the Tokens do not start at id 1')
      await client.query('TRUNCATE tokens, pings, flips RESTART IDENTITY CASCADE')
    } else if (have[0].n > Math.min(...SCALES)) {
      log('deleting the Tokens an earlier, bigger run added (the Pings stay)')
      await client.query('DELETE FROM tokens WHERE id > $1', [Math.min(...SCALES)])
      await client.query('VACUUM ANALYZE tokens')
    }
    const rows: ScaleRow[] = []
    let load: SyncLoad | undefined
    for (const [index, total] of [...SCALES].sort((a, b) => a - b).entries()) {
      const last = index === SCALES.length - 1
      const measured = await measureScale(env, client, redis, total, last ? SYNC_LOAD_SECONDS : 0)
      rows.push(measured.row)
      load = measured.load ?? load
    }
    const { lines, loadLine } = scaleTable(rows, load)
    console.log(
      [
        '',
        `Scale (${cpus().length} cores shared with other work; figures move between runs):`,
        ...lines,
        loadLine,
      ].join('\n')
    )
    writeSection(lines, loadLine)
    return { rows, load, lines, loadLine }
  } finally {
    await client.end().catch(() => {})
    await redis.flushdb().catch(() => {})
    redis.disconnect()
    await scope.release()
  }
}
