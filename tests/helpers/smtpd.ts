import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import { testRedisConfig } from '#tests/helpers/redis'

/** The ping addresses' domain of the tests. */
export const EMAIL_DOMAIN = 'ping.test.example'

/**
 * The SMTP listener as `pnpm smtpd` runs it (ping/smtpd/main.ts in a child
 * process, settings from the environment) on a free port, against the test
 * Redis database.
 */
export async function spawnSmtpd(overrides: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'ping/smtpd/main.ts'], {
    cwd: app.makePath(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PING_EMAIL_DOMAIN: EMAIL_DOMAIN,
      SMTPD_HOST: '127.0.0.1',
      SMTPD_PORT: '0',
      REDIS_DB: String(testRedisConfig().db),
      ...overrides,
    },
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const listening = /smtpd listening on [^:]+:(\d+)/.exec(output)
      if (listening) {
        resolve(Number(listening[1]))
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`smtpd exited (${code}):\n${output}`)))
  })
  return {
    port,
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}
