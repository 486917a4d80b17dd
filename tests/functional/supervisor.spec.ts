import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { freePort } from '#tests/helpers/edge'
import { waitFor } from '#tests/helpers/worker_process'
import { flushRedis } from '#tests/helpers/redis'
import { sendMail } from '#tests/helpers/smtp'

/**
 * `pnpm start` as a child, on its own database (it seeds an admin) and on
 * the given ports.
 */
function supervise(
  ports: { web: number; ping: number },
  overrides: Record<string, string> = {},
  args: string[] = []
) {
  const child = spawn(process.execPath, ['bin/start.ts', ...args], {
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
    pid: child.pid!,
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

/** The Node processes the supervisor started, by their command lines. */
function childCommands(pid: number) {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)
  return children
    .filter(Boolean)
    .map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean))
}

test.group('pnpm start (the supervisor)', (group) => {
  // The supervisor's database is its own, its Redis database the run's: the stream must not
  // hold what earlier tests left (Pings of Tokens only their database knows).
  group.each.setup(() => flushRedis())

  test('--small: one app process and the edge (with email pings), from the build; a ping and a mail reach PostgreSQL; SIGTERM stops both', async ({
    assert,
  }) => {
    const ports = { web: await freePort(), ping: await freePort() }
    const smtpPort = await freePort()
    const database = `${env.get('DB_DATABASE')}_supervisor`
    const supervisor = supervise(
      ports,
      { PING_EMAIL_DOMAIN: 'ping.small.example', SMTPD_PORT: String(smtpPort) },
      ['--small']
    )
    const client = new pg.Client({
      host: env.get('DB_HOST'),
      port: env.get('DB_PORT'),
      user: env.get('DB_USER'),
      password: env.get('DB_PASSWORD') ?? '',
      database,
    })
    try {
      await supervisor.until(/worker: draining the ping stream/, 150_000)
      await supervisor.until(/Demo ping URL: /)
      const output = supervisor.output()
      assert.match(
        output,
        /^ngip: small mode: one app process \(web, worker, scheduler\) and the ping edge$/m
      )
      assert.match(output, /^ngip: (reusing build from|building… \()/m)

      const commands = childCommands(supervisor.pid)
      assert.lengthOf(commands, 2, JSON.stringify(commands))
      const scripts = commands.map((args) => args.slice(args.findIndex((a) => a.endsWith('.js'))))
      // Email pings in the edge's process: Redis only, and up while the app restarts.
      assert.sameDeepMembers(scripts, [['bin/all_in_one.js'], ['ping/main.js', '--with-smtpd']])
      // Compiled JavaScript: no TypeScript loader in any role.
      assert.notInclude(commands.flat().join(' '), 'ts-exec')

      const pingUrl = /Demo ping URL: (\S+)/.exec(output)![1]
      const body = `small mode ${Date.now()}`
      const answer = await fetch(pingUrl, { method: 'POST', body })
      assert.equal(answer.status, 200)
      await client.connect()
      await waitFor(
        'the Ping in PostgreSQL',
        async () => {
          const { rows } = await client.query(
            `SELECT count(*)::int AS n FROM pings WHERE body = convert_to($1, 'UTF8')`,
            [body]
          )
          return rows[0].n as number
        },
        (n) => n === 1
      ).catch((error) => {
        throw new Error(`${error.message}\n--- the supervisor printed:\n${supervisor.output()}`)
      })
      const uuid = /Demo ping URL: \S+\/([0-9a-f-]{36})/.exec(output)![1]
      const sent = await sendMail(smtpPort, { to: [`${uuid}+log@ping.small.example`], text: body })
      assert.match(sent.end ?? sent.rcpt.join(), /^250 /)
      await waitFor(
        'the email Ping in PostgreSQL',
        async () => {
          const { rows } = await client.query(
            `SELECT count(*)::int AS n FROM pings
              WHERE method = 'EMAIL' AND kind = 'log' AND position(convert_to($1, 'UTF8') in body) > 0`,
            [body]
          )
          return rows[0].n as number
        },
        (n) => n === 1
      )
      const ready = await fetch(`http://127.0.0.1:${ports.web}/health/ready`)
      assert.equal(ready.status, 200)

      await supervisor.stop()
      assert.equal(await supervisor.exited, 0)
      assert.match(supervisor.output(), /^app {7}\| .*worker: stopped/m)
      assert.notMatch(supervisor.output(), /restarting in|SIGKILL/)
    } finally {
      await client.end().catch(() => {})
      await supervisor.stop()
    }
  }).timeout(200_000)

  test('with PING_EMAIL_DOMAIN: the smtpd role runs beside the four; a mail to the demo Token reaches PostgreSQL', async ({
    assert,
  }) => {
    const ports = { web: await freePort(), ping: await freePort() }
    const smtpPort = await freePort()
    const supervisor = supervise(ports, {
      PING_EMAIL_DOMAIN: 'ping.supervised.example',
      SMTPD_HOST: '127.0.0.1',
      SMTPD_PORT: String(smtpPort),
    })
    const client = new pg.Client({
      host: env.get('DB_HOST'),
      port: env.get('DB_PORT'),
      user: env.get('DB_USER'),
      password: env.get('DB_PASSWORD') ?? '',
      database: `${env.get('DB_DATABASE')}_supervisor`,
    })
    try {
      await supervisor.until(/Demo ping URL: /, 150_000)
      const output = supervisor.output()
      assert.include(
        output,
        `Email pings: <uuid>@ping.supervised.example (SMTP on 127.0.0.1:${smtpPort})`
      )
      const scripts = childCommands(supervisor.pid).map((args) => args.at(-1))
      assert.sameMembers(scripts, [
        'bin/server.js',
        'ping/main.js',
        'worker:run',
        'scheduler:run',
        'ping/smtpd/main.js',
      ])

      const uuid = /Demo ping URL: \S+\/([0-9a-f-]{36})/.exec(output)![1]
      const subject = `supervised ${Date.now()}`
      const sent = await sendMail(smtpPort, {
        to: [`${uuid}@ping.supervised.example`],
        subject,
      })
      assert.match(sent.end ?? sent.rcpt.join(), /^250 /)
      await client.connect()
      await waitFor(
        'the email Ping in PostgreSQL',
        async () => {
          const { rows } = await client.query(
            `SELECT count(*)::int AS n FROM pings
              WHERE method = 'EMAIL' AND position(convert_to($1, 'UTF8') in body) > 0`,
            [subject]
          )
          return rows[0].n as number
        },
        (n) => n === 1
      ).catch((error) => {
        throw new Error(`${error.message}\n--- the supervisor printed:\n${supervisor.output()}`)
      })

      await supervisor.stop()
      assert.equal(await supervisor.exited, 0)
      assert.notMatch(supervisor.output(), /restarting in|SIGKILL/)
    } finally {
      await client.end().catch(() => {})
      await supervisor.stop()
    }
  }).timeout(200_000)

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
