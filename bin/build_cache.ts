/*
|--------------------------------------------------------------------------
| The compiled build `pnpm start` runs, made once and reused
|--------------------------------------------------------------------------
|
| The roles run compiled JavaScript from build/: the TypeScript loader costs
| each process a compiler thread (~80 MB) and seconds of startup. The build
| is stamped with a hash of every file it is made from (sources, views,
| public files, lockfile, config); a start whose hash matches reuses it, any
| other rebuilds it and says which files changed. Plain type-stripped
| TypeScript, no app imports: it runs before anything is compiled.
|
*/

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

/** What the build is made from; tests, benches and deploy tooling are not in it. */
export const BUILD_INPUTS = [
  'adonisrc.ts',
  'ace.js',
  'package.json',
  'pnpm-lock.yaml',
  'tsconfig.json',
  'tsconfig.build.json',
  'app',
  'bin',
  'commands',
  'config',
  'database',
  'lib',
  'ping',
  'providers',
  'public',
  'resources',
  'start',
  'types',
]

export const STAMP_FILE = '.ngip-build.json'
const LOCK_FILE = '.ngip-build.lock'

interface Stamp {
  /** Hash over every input file, so one comparison decides */
  hash: string
  builtAt: string
  /** Per file, to name what changed */
  files: Record<string, string>
}

export type BuildDecision = { reuse: true; builtAt: string } | { reuse: false; why: string }

function walk(root: string, path: string, out: string[]) {
  const full = join(root, path)
  if (!existsSync(full)) {
    return
  }
  if (!statSync(full).isDirectory()) {
    out.push(path)
    return
  }
  for (const entry of readdirSync(full).sort()) {
    walk(root, join(path, entry), out)
  }
}

/** Content hashes of every input file, by path. */
export function sourceHashes(root: string): Record<string, string> {
  const paths: string[] = []
  for (const input of BUILD_INPUTS) {
    walk(root, input, paths)
  }
  const files: Record<string, string> = {}
  for (const path of paths) {
    files[path] = createHash('sha256')
      .update(readFileSync(join(root, path)))
      .digest('hex')
  }
  return files
}

function overallHash(files: Record<string, string>) {
  const hash = createHash('sha256')
  for (const [path, digest] of Object.entries(files)) {
    hash.update(`${path}\0${digest}\n`)
  }
  return hash.digest('hex')
}

function readStamp(outDir: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(join(outDir, STAMP_FILE), 'utf8'))
  } catch {
    return null
  }
}

/** Names up to three changed files: "app/x.ts changed, y.ts added (+2 more)". */
function describeChanges(before: Record<string, string>, now: Record<string, string>) {
  const changes: string[] = []
  for (const [path, digest] of Object.entries(now)) {
    if (!(path in before)) {
      changes.push(`${path} added`)
    } else if (before[path] !== digest) {
      changes.push(`${path} changed`)
    }
  }
  for (const path of Object.keys(before)) {
    if (!(path in now)) {
      changes.push(`${path} removed`)
    }
  }
  const more = changes.length > 3 ? ` (+${changes.length - 3} more)` : ''
  return changes.slice(0, 3).join(', ') + more
}

/** Whether the build in `outDir` was made from the sources as they are now. */
export function decideBuild(root: string, outDir = join(root, 'build')): BuildDecision {
  const stamp = readStamp(outDir)
  if (!stamp) {
    return { reuse: false, why: 'no build yet' }
  }
  const files = sourceHashes(root)
  if (overallHash(files) === stamp.hash) {
    return { reuse: true, builtAt: stamp.builtAt }
  }
  return { reuse: false, why: describeChanges(stamp.files ?? {}, files) || 'sources changed' }
}

/**
 * One build at a time per checkout: a second `pnpm start` waits for the first
 * one's build instead of wiping it halfway. A lock left by a dead process is taken over.
 */
async function withLock<T>(root: string, task: () => Promise<T>): Promise<T> {
  const lock = join(root, LOCK_FILE)
  for (;;) {
    try {
      const fd = openSync(lock, 'wx')
      writeFileSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error
      }
      const holder = Number(readFileSync(lock, 'utf8'))
      if (!holder || !isAlive(holder)) {
        rmSync(lock, { force: true })
        continue
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  try {
    return await task()
  } finally {
    rmSync(lock, { force: true })
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The build's storage/ is the checkout's: what `ngip:setup` keeps there
 * (storage/quickstart.json) outlives every rebuild, as it did before builds.
 */
function linkStorage(root: string, outDir: string) {
  mkdirSync(join(root, 'storage'), { recursive: true })
  rmSync(join(outDir, 'storage'), { recursive: true, force: true })
  symlinkSync('../storage', join(outDir, 'storage'))
}

/** `node ace build` with its steps shown as progress lines. */
function compile(root: string, log: (line: string) => void) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['ace', 'build', '--tsconfig=tsconfig.build.json', '--ignore-ts-errors'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk
      for (const line of chunk.toString().split('\n')) {
        // The assembler's steps ("[ info ] compiling typescript source"), not its banner.
        const step = /^\s*\[ (?:info|success|error) \]\s*(.+)$/.exec(line)
        if (step) {
          log(`  ${step[1].trim()}`)
        }
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the build failed (exit ${code}):\n${output}`))
    )
  })
}

/**
 * The compiled build's directory, built first when the sources changed.
 * Prints "reusing build from <time>" or "building… (why)" and its progress.
 */
export async function ensureBuild(
  root: string,
  log: (line: string) => void = console.log,
  build: (root: string, log: (line: string) => void) => Promise<void> = compile
) {
  const outDir = join(root, 'build')
  const first = decideBuild(root, outDir)
  if (first.reuse) {
    log(`ngip: reusing build from ${first.builtAt}`)
    return outDir
  }
  return withLock(root, async () => {
    // Another start may have built while this one waited for the lock.
    const decision = decideBuild(root, outDir)
    if (decision.reuse) {
      log(`ngip: reusing build from ${decision.builtAt}`)
      return outDir
    }
    log(`ngip: building… (${decision.why})`)
    const startedAt = Date.now()
    // Hashed before compiling: a file edited during the build rebuilds next time.
    const files = sourceHashes(root)
    await build(root, log)
    linkStorage(root, outDir)
    const stamp: Stamp = { hash: overallHash(files), builtAt: new Date().toISOString(), files }
    writeFileSync(join(outDir, STAMP_FILE), JSON.stringify(stamp))
    log(`ngip: built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
    return outDir
  })
}
