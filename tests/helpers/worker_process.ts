import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

/**
 * A real `node ace worker:run` child against the test database and Redis,
 * outside the test's global transaction: what it commits stays committed.
 */
export function spawnWorker(overrides: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['ace', 'worker:run'], {
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
