import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { bench, benchEnv, run } from './setup.js'

export interface EdgeFigures {
  barePerSecond: number
  edgePerSecond: number
  ratio: number
  edgeNon2xx: number
  edgeMaxRssMb: number
  wrk: string
}

const WRK_ARGS = ['-t', '2', '-c', '64', '-d', process.env.BENCH_SECONDS ?? '5']

async function startServer(args: string[], env: NodeJS.ProcessEnv, ready: string) {
  const child = spawn(process.execPath, args, {
    cwd: bench.root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(ready) && resolve())
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code})`)))
  })
  return child
}

function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  return exited
}

function rssMb(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

/**
 * Runs wrk against a port and returns requests/s, non-2xx answers and the
 * highest resident memory of `pid` seen meanwhile.
 */
async function load(port: number, uuidFile: string, pid: number) {
  let maxRss = 0
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb(pid))), 100)
  const output = await run(
    'wrk',
    [...WRK_ARGS, '-s', 'bench/wrk_pings.lua', `http://127.0.0.1:${port}`],
    { ...process.env, NGIP_UUIDS: uuidFile }
  )
  clearInterval(sampler)
  for (const line of output.split('\n').filter((l) => l.startsWith('answer '))) {
    console.log(`bench: ${line}`)
  }
  const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  return { perSecond, non2xx, maxRss, output }
}

/**
 * The edge as the container image runs it: compiled to JavaScript, no
 * TypeScript loader (whose compiler thread alone takes ~80 MB). Built inside
 * node_modules so that its packages resolve.
 */
async function buildEdge() {
  const outfile = `${bench.root}node_modules/.cache/ngip-bench/edge.mjs`
  await build({
    entryPoints: [`${bench.root}ping/main.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  })
  return outfile
}

/**
 * The edge (rate limit off, valid Tokens, pings enqueued for real) against a
 * bare node:http "OK" server: same Node, same wrk settings, same run.
 */
export async function edgeBench(uuidFile: string): Promise<EdgeFigures> {
  const barePort = 3398
  const edgePort = 3397
  const bare = await startServer(
    ['bench/bare_server.ts'],
    { ...process.env, PORT: String(barePort) },
    'bare server'
  )
  const baseline = await load(barePort, uuidFile, bare.pid!)
  await stop(bare)

  const edge = await startServer(
    [await buildEdge()],
    benchEnv({ PING_PORT: String(edgePort), PING_HOST: '127.0.0.1' }),
    'ping edge listening'
  )
  const measured = await load(edgePort, uuidFile, edge.pid!)
  await stop(edge)
  return {
    barePerSecond: baseline.perSecond,
    edgePerSecond: measured.perSecond,
    ratio: measured.perSecond / baseline.perSecond,
    edgeNon2xx: measured.non2xx,
    edgeMaxRssMb: measured.maxRss,
    wrk: `wrk ${WRK_ARGS.join(' ')} -s bench/wrk_pings.lua`,
  }
}
