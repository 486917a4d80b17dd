import { spawn } from 'node:child_process'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { cidrMatcher } from '#lib/cidr'
import app from '@adonisjs/core/services/app'
import { createEdgeServer } from '#ping/server'
import { RedisPingStore } from '#ping/redis_store'
import type { RedisClientKind } from '#ping/redis_connection'
import { PingIngest, type IngestOptions } from '#services/ingest/ping_ingest'
import redis from '@adonisjs/redis/services/main'
import { testRedisConfig } from '#tests/helpers/redis'

export interface EdgeOptions {
  rateLimit?: number
  /** Reach Redis through another port (a fault proxy) */
  redisPort?: number
  /** TRUSTED_PROXIES of this edge (none by default) */
  trustedProxies?: string
  /** PING_REDIS_CLIENT of this edge */
  redisClient?: RedisClientKind
  /** PING_REDIS_TIMEOUT_MS of this edge (100 by default) */
  redisTimeoutMs?: number
  /** PING_FLUSH_LINGER_MS of this edge (0 by default: each turn's pings at once) */
  lingerMs?: number
}

/**
 * A real ping edge on a free port, against the test Redis database.
 */
export async function startEdge(bodyLimit = 10_000, options: EdgeOptions = {}) {
  const config = testRedisConfig()
  const store = new RedisPingStore(
    { ...config, port: options.redisPort ?? config.port },
    options.redisTimeoutMs ?? 100,
    options.redisClient
  )
  store.lingerMs = options.lingerMs ?? 0
  await store.ready()
  /** The `answer` label of each request answered, in order (as ngip_edge_pings_total counts them) */
  const answers: string[] = []
  const server = createEdgeServer(
    { store, bodyLimit, rateLimit: options.rateLimit ?? 0 },
    {
      trustedProxies: cidrMatcher(options.trustedProxies ?? ''),
      onAnswer: (answer) => answers.push(answer),
    }
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    answers,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await store.close()
    },
  }
}

/**
 * A worker's ingest loop, driven one batch at a time by the test.
 */
export async function makeIngest(consumer = 'test-worker', options: Partial<IngestOptions> = {}) {
  const ingest = new PingIngest(redis.connection('main').ioConnection, {
    consumer,
    batchSize: 500,
    blockMs: 10,
    claimIdleMs: 60_000,
    ...options,
  })
  await ingest.ensureGroup()
  return ingest
}

/**
 * Runs the ingest until the stream has nothing more to give.
 */
export async function drain(ingest: PingIngest) {
  let total = 0
  for (;;) {
    const handled = await ingest.runOnce()
    if (handled === 0) {
      return total
    }
    total += handled
  }
}

/**
 * A TCP listener standing where PostgreSQL would be: it counts connections and
 * never answers, so anything that tries to query through it is seen (and hangs).
 */
export async function startPostgresTrap() {
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createNetServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    async close() {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

export async function freePort() {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * The edge as `pnpm edge` runs it (ping/main.ts in a child process, settings
 * from the environment) on a free port, against the test Redis database.
 */
export async function spawnEdge(overrides: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'ping/main.ts'], {
    cwd: app.makePath(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PING_HOST: '127.0.0.1',
      PING_PORT: '0',
      REDIS_DB: String(testRedisConfig().db),
      ...overrides,
    },
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const listening = /ping edge listening on http:\/\/[^:]+:(\d+)/.exec(output)
      if (listening) {
        resolve(Number(listening[1]))
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`edge exited (${code}):\n${output}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** What it printed so far */
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}
