import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { freePort } from '#tests/helpers/edge'

/**
 * `pnpm start` as a child, on its own database (it seeds an admin) and on
 * the given ports.
 */
function supervise(ports: { web: number; ping: number }, overrides: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['bin/start.ts'], {
    cwd: app.makePath(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(ports.web),
      APP_URL: `http://127.0.0.1:${ports.web}`,
      PING_HOST: '127.0.0.1',
      PING_PORT: String(ports.ping),
      PING_URL: `http://127.0.0.1:${ports.ping}`,
      DB_DATABASE: `${env.get('DB_DATABASE')}_supervisor`,
      REDIS_DB: String(env.get('REDIS_DB', 0)),
      ...overrides,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return {
    exited,
    output: () => output,
    async until(pattern: RegExp, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${pattern} in:\n${output}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    /** Ctrl-C: the supervisor stops its roles, then itself */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}

test.group('pnpm start (the supervisor)', () => {
  test('a second start on taken ports names the port and stops, printing no credentials', async ({
    assert,
  }) => {
    const ports = { web: await freePort(), ping: await freePort() }
    const first = supervise(ports)
    let second: ReturnType<typeof supervise> | undefined
    try {
      await first.until(/Admin UI: /)
      second = supervise(ports)
      const code = await second.exited
      assert.notEqual(code, 0)
      assert.match(
        second.output(),
        new RegExp(`port ${ports.web} is taken \\(is ngip already running\\?`)
      )
      assert.notMatch(second.output(), /Admin UI|Admin login|API key|preparing the database/)
      assert.equal(second.output().trim().split('\n').length, 1, second.output())
    } finally {
      await second?.stop()
      await first.stop()
    }
  }).timeout(150_000)

  test('a role stopped by a setting that cannot work stops the supervisor, with no ready block', async ({
    assert,
  }) => {
    const ports = { web: await freePort(), ping: await freePort() }
    const supervisor = supervise(ports, { PING_REDIS_TIMEOUT_MS: 'abc' })
    try {
      const code = await supervisor.exited
      const output = supervisor.output()
      assert.equal(code, 1)
      assert.match(output, /ngip ping: bad setting: PING_REDIS_TIMEOUT_MS must be/)
      assert.match(output, /ngip: ping cannot run with these settings \(see above\); stopping/)
      assert.notMatch(output, /restarting in/)
      assert.notMatch(output, /Admin UI: /)
    } finally {
      await supervisor.stop()
    }
  }).timeout(150_000)

  test('PORT=abc stops it with one line, before the database is touched', async ({ assert }) => {
    const supervisor = supervise({ web: 0, ping: await freePort() }, { PORT: 'abc' })
    assert.equal(await supervisor.exited, 1)
    assert.equal(
      supervisor.output().trim(),
      'ngip: bad setting: PORT must be a port number, got "abc"; fix it in .env'
    )
  }).timeout(30_000)
})
