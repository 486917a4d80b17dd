import { spawn } from 'node:child_process'
import http from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { createServer } from 'node:net'
import pg from 'pg'
import { bench, benchEnv, pgConfig, run } from './setup.js'
import { tokenPingsJsonQuery } from '../app/services/tokens/ping_pages_sql.js'
import { preparedStatement } from '../lib/prepared_statement.js'

export interface ApiFigures {
  pings: number
  requests: number
  warmup: number
  apiP50Ms: number
  sqlP50Ms: number
  apiP95Ms: number
  sqlP95Ms: number
  /** Each round's API p95 / SQL p95 */
  rounds: number[]
  /** Median of the rounds' ratios */
  ratio: number
}

const PINGS = Number(process.env.BENCH_API_PINGS ?? 1_000_000)
const SAMPLES = Number(process.env.BENCH_API_SAMPLES ?? 1000)
/** Rounds of SAMPLES calls each; the ratio is the median round's */
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 5)
/** Calls before measuring, so both sides run warmed up (JIT, caches) */
const WARMUP = 2000

/**
 * The prepared statement behind GET /api/v1/tokens/:id/pings?limit=50
 * (TokenPingPages.page), as the app sends it.
 */
function pageQuery(uuid: string) {
  const { sql, bindings } = tokenPingsJsonQuery(uuid, { limit: 50 })
  return preparedStatement(sql, bindings)
}

function percentile(samples: number[], fraction: number) {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length * fraction)]
}

const median = (values: number[]) => percentile(values, 0.5)

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Tops the pings table up to PINGS rows spread over the bench Tokens.
 */
async function fill(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM pings')
  if (rows[0].n < PINGS) {
    await client.query(
      `INSERT INTO pings (token_id, kind, created_at, method, remote_addr, user_agent)
       SELECT t.id, 'success', now() - n * interval '1 second', 'GET', '127.0.0.1', 'curl/8.5.0'
       FROM generate_series(1, $1) AS n JOIN tokens t ON t.id = 1 + n % (SELECT count(*) FROM tokens)`,
      [PINGS - rows[0].n]
    )
    await client.query('VACUUM ANALYZE pings')
  }
}

/**
 * The web as the image runs it: compiled by `node ace build`, started from
 * build/ with the repository's APP_KEY (from .env) in its environment.
 */
async function startWeb(port: number) {
  await run(process.execPath, ['ace', 'build'])
  const dotenv = existsSync(`${bench.root}.env`)
    ? parseEnv(readFileSync(`${bench.root}.env`, 'utf8'))
    : {}
  const child = spawn(process.execPath, ['build/bin/server.js'], {
    cwd: bench.root,
    env: benchEnv({
      APP_KEY: process.env.APP_KEY ?? dotenv.APP_KEY ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      API_RATE_LIMIT: '1000000',
    }),
    stdio: 'ignore',
  })
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (r) => r.ok,
      () => false
    )
    if (up) {
      return child
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  child.kill()
  throw new Error('the web did not start')
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/**
 * One API call over a kept-alive connection, body parsed as the pg client
 * parses its rows; node:http rather than fetch, whose own overhead is not
 * the API's.
 */
function getJson(port: number, path: string, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}` } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`the API answered ${response.statusCode}`))
          } else {
            resolve(JSON.parse(Buffer.concat(chunks).toString()))
          }
        })
      }
    )
    request.on('error', reject)
  })
}

/**
 * Alternates one API call and one bare query, so load from elsewhere on the
 * machine weighs on both sides alike.
 */
async function sample(
  port: number,
  key: string,
  client: pg.Client,
  tokens: { id: string; uuid: string }[],
  warmup: number
) {
  const api: number[] = []
  const sql: number[] = []
  for (let i = 0; i < SAMPLES + warmup; i++) {
    const token = tokens[i % tokens.length]
    let started = performance.now()
    await getJson(port, `/api/v1/tokens/${token.uuid}/pings?limit=50`, key)
    const apiMs = performance.now() - started
    started = performance.now()
    await client.query(pageQuery(token.uuid))
    const sqlMs = performance.now() - started
    if (i >= warmup) {
      api.push(apiMs)
      sql.push(sqlMs)
    }
  }
  return { api, sql }
}

/**
 * A page of 50 Pings of one Token from a table of PINGS Pings across the
 * bench Tokens: p95 of the API call next to p95 of its bare SQL query,
 * both from one client over a kept-alive connection, same Tokens in turn,
 * in ROUNDS rounds; a burst of load from elsewhere on this shared machine
 * then spoils one round, not the figure.
 */
export async function apiBench(): Promise<ApiFigures> {
  const client = new pg.Client({ ...pgConfig, database: bench.database })
  await client.connect()
  try {
    await fill(client)
    const { rows: tokens } = await client.query(
      'SELECT id, uuid FROM tokens ORDER BY random() LIMIT 200'
    )
    const created = await run(process.execPath, [
      'ace',
      'apikey:create',
      '--email',
      'bench@example.com',
      '--name',
      'bench',
    ])
    const key = created.trim().split('\n').pop()!
    const port = await freePort()
    const web = await startWeb(port)
    try {
      const api: number[] = []
      const sql: number[] = []
      const rounds: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const samples = await sample(port, key, client, tokens, round === 0 ? WARMUP : 0)
        api.push(...samples.api)
        sql.push(...samples.sql)
        rounds.push(percentile(samples.api, 0.95) / percentile(samples.sql, 0.95))
      }
      return {
        pings: PINGS,
        requests: SAMPLES * ROUNDS,
        warmup: WARMUP,
        apiP50Ms: percentile(api, 0.5),
        sqlP50Ms: percentile(sql, 0.5),
        apiP95Ms: percentile(api, 0.95),
        sqlP95Ms: percentile(sql, 0.95),
        rounds,
        ratio: median(rounds),
      }
    } finally {
      agent.destroy()
      web.kill('SIGTERM')
    }
  } finally {
    await client.end()
  }
}
