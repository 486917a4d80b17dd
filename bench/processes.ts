import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { bench } from './setup.js'

/** The compiled edge, built once a run */
let built: Promise<string> | undefined

/**
 * Starts a Node server for a benchmark and resolves once it prints `ready`.
 */
export async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: string,
  cwd = bench.root
) {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(ready) && resolve())
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code})`)))
  })
  return child
}

export function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  return exited
}

export function memoryMb(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 }
}

/**
 * The edge as the container image runs it: compiled to JavaScript, no
 * TypeScript loader (whose compiler thread alone takes ~80 MB). Built inside
 * node_modules so that its packages resolve.
 */
export function buildEdge() {
  built ??= bundleEdge()
  return built
}

async function bundleEdge() {
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
