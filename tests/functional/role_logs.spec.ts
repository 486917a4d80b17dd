import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import { RedisPingStore } from '#ping/redis_store'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import testUtils from '@adonisjs/core/services/test_utils'
import Notifier from '#services/alerts/notifier'
import { makeChannel, makeUser } from '#tests/helpers/factories'
import env from '#start/env'
import { EXIT_SETTING } from '#lib/faults'
import { FaultProxy } from '#tests/helpers/fault_proxy'
import { freePort, startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'
import { flushRedis, testRedisConfig } from '#tests/helpers/redis'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'
import { startWebProcess } from '#tests/helpers/web_process'

const ANSI = new RegExp(String.fromCharCode(27) + '\\[')
/** A stack frame line, as a stack trace prints them */
const STACK_FRAME = /^\s+at /m

function count(text: string, pattern: RegExp) {
  return text.split('\n').filter((line) => pattern.test(line)).length
}

/** Runs a role's entry point to its end (it must end by itself). */
function runRole(args: string[], overrides: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: app.makePath(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DB_DATABASE: env.get('DB_DATABASE'),
        REDIS_DB: String(env.get('REDIS_DB', 0)),
        ...overrides,
      },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

function pingMessage(i: number) {
  return {
    action: 'success' as const,
    at: Date.now(),
    method: 'GET',
    remoteAddr: '127.0.0.1',
    userAgent: 'role-logs',
    exitStatus: null,
    rid: null,
    body: Buffer.from(`ping ${i}`),
  }
}

const WEB = ['--import=@poppinss/ts-exec', 'bin/server.ts']

test.group('Role logs: one line per fault', () => {
  test('a worker against a database that does not exist stops with one line', async ({
    assert,
  }) => {
    const { code, output } = await runRole(['ace', 'worker:run'], {
      DB_DATABASE: 'ngip_no_such_database',
    })
    assert.equal(code, EXIT_SETTING)
    assert.equal(output.trim().split('\n').length, 1, output)
    assert.match(output, /database "ngip_no_such_database" does not exist: check DB_DATABASE/)
    assert.notMatch(output, ANSI)
  }).timeout(30_000)

  test('the scheduler against a database that does not exist stops with one line', async ({
    assert,
  }) => {
    const { code, output } = await runRole(['ace', 'scheduler:run'], {
      DB_DATABASE: 'ngip_no_such_database',
    })
    assert.equal(code, EXIT_SETTING)
    assert.equal(count(output, /does not exist/), 1, output)
    assert.notMatch(output, STACK_FRAME)
    assert.notMatch(output, ANSI)
  }).timeout(30_000)

  test('PORT=abc: web and worker say so in one line and stop, no code frame', async ({
    assert,
  }) => {
    for (const args of [WEB, ['ace', 'worker:run']]) {
      const { code, output } = await runRole(args, { PORT: 'abc' })
      assert.equal(code, EXIT_SETTING, output)
      assert.equal(output.trim().split('\n').length, 1, output)
      assert.match(output, /bad setting: "PORT" env variable must be a number .*"abc"/)
      assert.notMatch(output, ANSI)
    }
  }).timeout(60_000)

  test('web on a taken port names the port and stops', async ({ assert }) => {
    const { createServer } = await import('node:net')
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const port = (holder.address() as { port: number }).port
    try {
      const { code, output } = await runRole(WEB, { HOST: '127.0.0.1', PORT: String(port) })
      assert.equal(code, EXIT_SETTING)
      assert.match(output, new RegExp(`port ${port} is taken \\(is ngip already running\\?`))
      assert.equal(output.trim().split('\n').length, 1, output)
    } finally {
      holder.close()
    }
  }).timeout(30_000)

  test('PostgreSQL away for seconds: the worker says so once, and once when it is back', async ({
    assert,
  }) => {
    await flushRedis()
    const proxy = await FaultProxy.start(env.get('DB_PORT', 5432))
    const worker = spawnWorker({ DB_PORT: String(proxy.port) })
    try {
      await worker.ready
      await proxy.cut()
      // Pings keep coming: ingest retries its batch while PostgreSQL is away.
      const uuid = randomUUID()
      await redis.sadd(redisKeys.tokens, uuid)
      const store = new RedisPingStore(testRedisConfig(), 10_000)
      await store.ready()
      for (let i = 0; i < 5; i++) {
        await store.accept({ kind: 'uuid', uuid }, pingMessage(i), { rateLimit: 0 })
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      await store.close()
      await proxy.restore()
      await waitFor(
        'the recovery line',
        async () => worker.output(),
        (out) => /is back/.test(out)
      )
      await waitFor(
        'an empty stream',
        () => redis.xlen(redisKeys.pings),
        (left) => left === 0
      )
      const output = worker.output()
      assert.equal(count(output, /PostgreSQL at 127\.0\.0\.1:\d+ is unreachable/), 1, output)
      assert.equal(count(output, /PostgreSQL is back \(away \d+ s\)/), 1, output)
      assert.equal(count(output, /WARN|ERROR/), 1, output)
      assert.notMatch(output, STACK_FRAME)
      assert.notMatch(output, ANSI)
    } finally {
      await worker.kill()
      await proxy.close()
    }
  }).timeout(60_000)

  test('Redis away for seconds: the worker says so once, and once when it is back', async ({
    assert,
  }) => {
    const proxy = await FaultProxy.start(env.get('REDIS_PORT', 6379))
    const worker = spawnWorker({ REDIS_PORT: String(proxy.port) })
    try {
      await worker.ready
      await proxy.cut()
      await waitFor(
        'the outage line',
        async () => worker.output(),
        (out) => /unreachable/.test(out)
      )
      await new Promise((resolve) => setTimeout(resolve, 3000))
      await proxy.restore()
      await waitFor(
        'the recovery line',
        async () => worker.output(),
        (out) => /is back/.test(out)
      )
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const output = worker.output()
      assert.equal(count(output, /Redis at 127\.0\.0\.1:\d+ is unreachable/), 1, output)
      assert.equal(count(output, /Redis is back/), 1, output)
      assert.equal(count(output, /WARN|ERROR/), 1, output)
      assert.notMatch(output, STACK_FRAME)
    } finally {
      await worker.kill()
      await proxy.close()
    }
  }).timeout(60_000)
})

/** A web role child, logging as in development; resolves once it listens. */
function startWeb(overrides: Record<string, string>) {
  return startWebProcess({ NODE_ENV: 'development', LOG_LEVEL: 'info', ...overrides })
}

test.group('Role logs: the web', () => {
  test('a wrong DB_DATABASE stops the web with one line', async ({ assert }) => {
    const { code, output } = await runRole(WEB, {
      DB_DATABASE: 'ngip_no_such_database',
      PORT: String(await freePort()),
    })
    assert.equal(code, EXIT_SETTING)
    assert.equal(count(output, /does not exist: check DB_DATABASE/), 1, output)
    assert.notMatch(output, STACK_FRAME)
  }).timeout(30_000)

  test('ace commands that need no database run where none exists (codegen at install)', async ({
    assert,
  }) => {
    const { code, output } = await runRole(['ace', 'codegen'], {
      DB_DATABASE: 'ngip_no_such_database',
    })
    assert.equal(code, 0, output)
    assert.notInclude(output, 'does not exist')
  }).timeout(30_000)

  test('requests while PostgreSQL is away: one line, not a stack per request', async ({
    assert,
  }) => {
    const proxy = await FaultProxy.start(env.get('DB_PORT', 5432))
    const metricsToken = 'role-logs-metrics-token-0123456789'
    const web = await startWeb({ DB_PORT: String(proxy.port), METRICS_TOKEN: metricsToken })
    try {
      await proxy.cut()
      for (let i = 0; i < 5; i++) {
        // /metrics counts Tokens in PostgreSQL.
        const response = await fetch(`${web.url}/metrics`, {
          headers: { authorization: `Bearer ${metricsToken}` },
        })
        assert.equal(response.status, 500)
      }
      await proxy.restore()
      await waitFor(
        'the recovery line',
        async () => web.output(),
        (out) => /is back/.test(out)
      )
      const output = web.output()
      assert.equal(count(output, /PostgreSQL at 127\.0\.0\.1:\d+ is unreachable/), 1, output)
      assert.equal(count(output, /WARN|ERROR/), 1, output)
      assert.notMatch(output, STACK_FRAME)
    } finally {
      await web.stop()
      await proxy.close()
    }
  }).timeout(60_000)
})

test.group('Role logs: lines name what failed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a failed notification is logged with its Channel, kind and error', async ({ assert }) => {
    const user = await makeUser()
    const previous = app.config.get('ngip.integrationsAllowPrivateIps')
    // Made while private addresses are allowed, sent after they no longer are: a real refusal.
    app.config.set('ngip.integrationsAllowPrivateIps', true)
    const channel = await makeChannel(user, 'Ops hook', { url: 'http://127.0.0.1:9/hook' })
    app.config.set('ngip.integrationsAllowPrivateIps', false)
    const lines: string[] = []
    const warn = logger.warn
    logger.warn = ((...args: unknown[]) => {
      lines.push(String(args.find((arg) => typeof arg === 'string')))
    }) as typeof logger.warn
    try {
      const result = await Notifier.sendTest(channel)
      assert.isFalse(result.ok)
    } finally {
      logger.warn = warn
      app.config.set('ngip.integrationsAllowPrivateIps', previous)
    }
    assert.lengthOf(lines, 1)
    assert.match(lines[0], /^notification failed: Channel "Ops hook" \(webhook\): .+/)
  })

  test('NODE_ENV=production: JSON lines, each request with its request_id; a refused key names the path', async ({
    assert,
  }) => {
    const { createServer } = await import('node:net')
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    const child = spawn(process.execPath, WEB, {
      cwd: app.makePath(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        DB_DATABASE: env.get('DB_DATABASE'),
        REDIS_DB: String(env.get('REDIS_DB', 0)),
      },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    try {
      await waitFor(
        'the server',
        async () => output,
        (out) => /started HTTP server/.test(out)
      )
      const base = `http://127.0.0.1:${port}`
      const live = await fetch(`${base}/health/live`)
      const refused = await fetch(`${base}/api/v1/tokens`)
      assert.deepEqual([live.status, refused.status], [200, 401])
      await waitFor(
        'the request lines',
        async () => output,
        (out) => count(out, /"request"/) >= 2
      )
      const lines = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
      const liveLine = lines.find((line) => line.url === '/health/live')
      assert.include(liveLine, { msg: 'request', method: 'GET', status: 200 })
      assert.match(liveLine.request_id, /^[\w-]{8,}$/)
      const warning = lines.find((line) => line.level === 40)
      assert.equal(warning.msg, 'Unauthorized access: GET /api/v1/tokens')
      const refusedLine = lines.find((line) => line.url === '/api/v1/tokens' && line.status)
      assert.equal(warning.request_id, refusedLine.request_id)
      assert.notEqual(warning.request_id, liveLine.request_id)
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }).timeout(30_000)
})

test.group('Role logs: the edge and Redis', (group) => {
  group.each.setup(() => flushRedis())

  test('the edge says once that Redis is away and once that it is back', async ({ assert }) => {
    const proxy = await FaultProxy.start(env.get('REDIS_PORT', 6379))
    const edge = await startEdge(10_000, { redisPort: proxy.port })
    const lines: string[] = []
    edge.store.client.log = (line) => lines.push(line)
    try {
      await proxy.cut()
      for (let i = 0; i < 5; i++) {
        assert.equal(await statusOf(edge.url, '/health'), 503)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      await proxy.restore()
      await waitFor(
        'the edge',
        () => statusOf(edge.url, '/health'),
        (status) => status === 200
      )
      assert.lengthOf(lines, 2, lines.join('\n'))
      assert.match(lines[0], /^ping edge: Redis at 127\.0\.0\.1:\d+ is unreachable; pings get 503/)
      assert.match(lines[1], /^ping edge: Redis is back \(away \d+ s\)$/)
    } finally {
      await edge.close()
      await proxy.close()
    }
  }).timeout(30_000)
})
