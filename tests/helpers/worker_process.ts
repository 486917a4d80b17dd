import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

/** How the worker role runs: alone (`ace worker:run`) or in the small mode's app process. */
export type WorkerShape = 'worker' | 'all-in-one'

/**
 * A real `node ace worker:run` child (or the small mode's all-in-one app
 * process, bin/all_in_one.ts, on a free port) against the test database and
 * Redis, outside the test's global transaction: what it commits stays committed.
 */
export function spawnWorker(
  overrides: Record<string, string> = {},
  shape: WorkerShape = 'worker',
  port = 0
) {
  const args =
    shape === 'worker' ? ['ace', 'worker:run'] : ['--import=@poppinss/ts-exec', 'bin/all_in_one.ts']
  const child = spawn(process.execPath, args, {
    cwd: app.makePath(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DB_DATABASE: env.get('DB_DATABASE'),
      REDIS_DB: String(env.get('REDIS_DB', 0)),
      // Keep every Ping, so a test can count them all.
      PING_LOG_LIMIT: '0',
      ...(shape === 'all-in-one' ? { HOST: '127.0.0.1', PORT: String(port) } : {}),
      ...overrides,
    },
  })
  let output = ''
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('draining the ping stream')) {
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before it was ready:\n${output}`))
    )
  })
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  )
  return {
    child,
    ready,
    exited,
    output: () => output,
    /** Ends it whatever state it is in (test cleanup) */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}

/**
 * Polls `check` until it holds; fails after `timeoutMs` with what it saw last.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (check(value)) {
      return value
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
