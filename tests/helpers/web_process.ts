import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { freePort } from '#tests/helpers/edge'

/**
 * A real web process (`bin/server.ts`, as `pnpm web` runs it) on a free
 * port, against the test database and Redis, with `overrides` on top; it
 * resolves once the web answers liveness. `output()` is all it printed.
 */
export async function startWebProcess(overrides: Record<string, string> = {}) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: app.makePath(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DB_DATABASE: env.get('DB_DATABASE'),
      REDIS_DB: String(env.get('REDIS_DB', 0)),
      ...overrides,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    const live = await fetch(`${url}/health/live`).catch(() => null)
    if (live?.ok) {
      break
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the web process did not come up:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    output: () => output,
    /** SIGTERM, as a supervisor stops it; resolves when it exited */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}
