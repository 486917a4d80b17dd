import type { AddressInfo } from 'node:net'
import { cidrMatcher } from '#lib/cidr'
import { createEdgeServer } from '#ping/server'
import { RedisPingStore } from '#ping/redis_store'
import { PingIngest, type IngestOptions } from '#services/ping_ingest'
import redis from '@adonisjs/redis/services/main'
import { testRedisConfig } from '#tests/helpers/redis'

export interface EdgeOptions {
  rateLimit?: number
  /** Reach Redis through another port (a fault proxy) */
  redisPort?: number
  /** TRUSTED_PROXIES of this edge (none by default) */
  trustedProxies?: string
}

/**
 * A real ping edge on a free port, against the test Redis database.
 */
export async function startEdge(bodyLimit = 10_000, options: EdgeOptions = {}) {
  const config = testRedisConfig()
  const store = new RedisPingStore({ ...config, port: options.redisPort ?? config.port })
  await store.ready()
  const server = createEdgeServer(
    { store, bodyLimit, rateLimit: options.rateLimit ?? 0 },
    { trustedProxies: cidrMatcher(options.trustedProxies ?? '') }
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
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
