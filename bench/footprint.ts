/*
|--------------------------------------------------------------------------
| Memory and startup of each role, as `pnpm start` runs them
|--------------------------------------------------------------------------
|
| `node bench/footprint.ts [loader] [full] [small]`: starts the roles the way
| bin/start.ts does (bin/roles.ts), on free ports, the benchmark's own
| database and Redis database; measures the time until web and ping answer,
| each role's RSS after BENCH_IDLE_SECONDS idle (median of 5 samples), its
| peak RSS while wrk pings the edge for BENCH_FOOTPRINT_SECONDS (the worker storing at
| the same time), and how long SIGTERM takes to stop them all. "loader" is
| the full mode as it ran before the build: the TypeScript loader, from the
| sources. Plain type-stripped TypeScript: no app imports. `pnpm bench` runs
| it for `full small` with BENCH_FOOTPRINT_JSON=1 (one JSON line of figures
| last) on its own claimed database and Redis database.
|
*/

import { spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { ensureBuild } from '../bin/build_cache.ts'
import { roleCommands, setupCommand, spawnRole, type RoleCommand } from '../bin/roles.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20)
const loadSeconds = Number(process.env.BENCH_FOOTPRINT_SECONDS ?? 20)
const tokenCount = Number(process.env.BENCH_FOOTPRINT_TOKENS ?? 200)
/** As many connections as the whole-platform bench's keep-alive client */
const connections = Number(process.env.BENCH_FOOTPRINT_CONNECTIONS ?? 64)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Variant = 'loader' | 'full' | 'small'

/** The four roles as bin/start.ts started them before the build (TypeScript loader). */
function loaderRoles(): RoleCommand[] {
  const tsExec = ['--import=@poppinss/ts-exec', '--enable-source-maps']
  return [
    { name: 'web', args: [...tsExec, 'bin/server.ts'], cwd: root },
    {
      name: 'ping',
      args: [
        '--max-semi-space-size=1',
        '--single-threaded',
        '--max-old-space-size=40',
        ...tsExec,
        'ping/main.ts',
      ],
      cwd: root,
    },
    { name: 'worker', args: ['ace', 'worker:run'], cwd: root },
    { name: 'scheduler', args: ['ace', 'scheduler:run'], cwd: root },
  ]
}

async function freePort() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function rssMb(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}

async function answers(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false
      )
    ) {
      return
    }
    await sleep(100)
  }
  throw new Error(`${url} did not answer`)
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Tokens for the load, made through the API (pings spread over them, as in use). */
let uuidFile = ''
async function makeTokens(env: NodeJS.ProcessEnv, apiKey: string) {
  const uuids: string[] = []
  for (let i = 0; i < tokenCount; i++) {
    const response = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `footprint ${i}` }),
    })
    if (!response.ok) {
      throw new Error(`cannot make a Token: ${response.status} ${await response.text()}`)
    }
    const body = (await response.json()) as { data?: { id: string }; id?: string }
    uuids.push(body.data?.id ?? body.id!)
  }
  uuidFile = join(tmpdir(), `ngip-footprint-${process.pid}.txt`)
  writeFileSync(uuidFile, uuids.join('\n') + '\n')
}

async function measure(variant: Variant, env: NodeJS.ProcessEnv, buildDir: string, apiKey: string) {
  const roles = variant === 'loader' ? loaderRoles() : roleCommands(variant, buildDir)
  const startedAt = Date.now()
  const children = new Map<string, ChildProcess>()
  let stopping = false
  for (const role of roles) {
    // As bin/start.ts: each role knows the mode (the small one ingests smaller batches).
    const mode = variant === 'small' ? 'small' : 'full'
    const child = spawnRole(role, { ...env, NGIP_MODE: mode }, 'inherit')
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`bench: ${role.name} exited early (${signal ?? code})`)
      }
    })
    children.set(role.name, child)
  }
  await answers(`http://127.0.0.1:${env.PORT}/health/live`, 120_000)
  await answers(`http://127.0.0.1:${env.PING_PORT}/health`, 120_000)
  const readyS = (Date.now() - startedAt) / 1000
  // Every variant does the same before it idles: 200 API calls that make its Tokens.
  await makeTokens(env, apiKey)

  await sleep(idleSeconds * 1000)
  const idle = new Map<string, number[]>()
  for (let i = 0; i < 5; i++) {
    for (const [name, child] of children) {
      idle.set(name, [...(idle.get(name) ?? []), rssMb(child.pid!)])
    }
    await sleep(1000)
  }

  const peak = new Map<string, number>()
  const sampler = setInterval(() => {
    for (const [name, child] of children) {
      peak.set(name, Math.max(peak.get(name) ?? 0, rssMb(child.pid!)))
    }
  }, 500)
  const wrk = spawnSync(
    'wrk',
    [
      '-t2',
      `-c${connections}`,
      `-d${loadSeconds}s`,
      '-s',
      `${root}bench/wrk_pings.lua`,
      `http://127.0.0.1:${env.PING_PORT}`,
    ],
    { encoding: 'utf8', env: { ...process.env, NGIP_UUIDS: uuidFile } }
  )
  // The worker catches up after the load: its peak may come then.
  await sleep(3000)
  clearInterval(sampler)
  const refused = wrk.stdout.split('\n').filter((line) => line.startsWith('answer '))
  if (refused.length) {
    console.error(`bench: non-200 answers under load:\n${refused.join('\n')}`)
  }
  const pingsPerS = Number(/Requests\/sec:\s+([\d.]+)/.exec(wrk.stdout)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(wrk.stdout)?.[1] ?? 0)

  stopping = true
  const stopAt = Date.now()
  const codes = await Promise.all(
    [...children].map(
      ([name, child]) =>
        new Promise<number | null>((resolve) => {
          child.once('exit', (code) => {
            console.error(
              `bench: ${name} stopped in ${((Date.now() - stopAt) / 1000).toFixed(1)} s`
            )
            resolve(code)
          })
          child.kill('SIGTERM')
          // As `pnpm start` does: SIGKILL to a role still running after 10 s.
          setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) {
              console.error(`bench: ${name} still running 10 s after SIGTERM: SIGKILL`)
              child.kill('SIGKILL')
            }
          }, 10_000).unref()
        })
    )
  )
  const stopS = (Date.now() - stopAt) / 1000
  const rows = [...children.keys()].map((name) => ({
    name,
    idle: median(idle.get(name)!),
    peak: peak.get(name) ?? 0,
  }))
  return { variant, readyS, stopS, codes, pingsPerS, non2xx, rows }
}

const wanted = (
  process.argv.slice(2).length ? process.argv.slice(2) : ['loader', 'full', 'small']
) as Variant[]
process.loadEnvFile(`${root}.env`)
const env: NodeJS.ProcessEnv = {
  ...process.env,
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PING_HOST: '127.0.0.1',
  PORT: String(await freePort()),
  PING_PORT: String(await freePort()),
  DB_DATABASE: process.env.BENCH_DATABASE ?? 'ngip_footprint',
  REDIS_DB: process.env.BENCH_REDIS_DB ?? '13',
  PING_RATE_LIMIT: '0',
}
env.APP_URL = `http://127.0.0.1:${env.PORT}`
env.PING_URL = `http://127.0.0.1:${env.PING_PORT}`

const buildDir = await ensureBuild(root)
const setup = setupCommand(buildDir)
const seeded = spawnSync(process.execPath, setup.args, { cwd: setup.cwd, env, encoding: 'utf8' })
const credentials = JSON.parse(seeded.stdout.trim().split('\n').pop() ?? '{}')
/** The quick-start key, or a new one when that was revoked (storage/ is the checkout's). */
function benchApiKey(): string {
  if (credentials.apiKey) {
    return credentials.apiKey
  }
  const made = spawnSync(
    process.execPath,
    ['ace.js', 'apikey:create', `--email=${credentials.email}`, '--name=footprint'],
    { cwd: buildDir, env, encoding: 'utf8' }
  )
  const key = /^ngip_\S+$/m.exec(made.stdout)?.[0]
  if (!key) {
    throw new Error(`no API key for the benchmark:\n${made.stdout}${made.stderr}`)
  }
  return key
}
const key = benchApiKey()

console.log(
  `| mode | role | idle RSS MB | peak RSS MB under load | ready s | SIGTERM to exit s | pings/s |`
)
console.log(`|---|---|---|---|---|---|---|`)
const results: Awaited<ReturnType<typeof measure>>[] = []
for (const variant of wanted) {
  const result = await measure(variant, env, buildDir, key)
  results.push(result)
  for (const row of result.rows) {
    console.log(
      `| ${variant} | ${row.name} | ${row.idle.toFixed(0)} | ${row.peak.toFixed(0)} | ${result.readyS.toFixed(1)} | ${result.stopS.toFixed(1)} | ${result.pingsPerS.toFixed(0)} |`
    )
  }
  const totalIdle = result.rows.reduce((sum, row) => sum + row.idle, 0)
  const totalPeak = result.rows.reduce((sum, row) => sum + row.peak, 0)
  console.log(
    `| ${variant} | **all** | **${totalIdle.toFixed(0)}** | **${totalPeak.toFixed(0)}** | | exit codes ${result.codes.join(',')} | |`
  )
}
if (uuidFile) {
  rmSync(uuidFile, { force: true })
}
if (process.env.BENCH_FOOTPRINT_JSON === '1') {
  const conditions = {
    idleSeconds,
    loadSeconds,
    connections,
    tokens: tokenCount,
    nodeEnv: env.NODE_ENV,
  }
  console.log(JSON.stringify({ results, conditions }))
}
