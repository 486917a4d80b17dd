import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'
import { freePort } from '../bin/test_scope.ts'
import { DEFAULT_REDIS_TIMEOUT_MS } from '../ping/config.ts'
import { roleValue } from './roles.js'

/**
 * Where the edge's Redis is "down" in the benchmarks: stopping the real
 * Redis is not an option on a shared machine.
 */
export type RedisDown = 'closed port' | 'blackhole' | 'stalled'

export const REDIS_DOWN: readonly RedisDown[] = ['closed port', 'blackhole', 'stalled']

export const describeRedisDown = {
  'closed port': 'REDIS_PORT is a free port nothing listens on (connection refused)',
  'blackhole':
    'REDIS_PORT is a listener that accepts and never answers (a Redis stalled before the edge connected)',
  'stalled':
    'REDIS_PORT is a proxy to the real Redis that stops forwarding once the edge is connected (a Redis that stalls under a connected edge: what the command timeout decides)',
} satisfies Record<RedisDown, string>

/**
 * The slowest 503 the edge may take, by kind: a Redis down (refused, or never
 * answering since the edge connected) is answered at once, under 100 ms
 * (issue 17). A Redis that stalls under a connected edge is told from one
 * starved of CPU only by `PING_REDIS_TIMEOUT_MS` of silence, so its 503
 * comes after that wait, and what the edge adds to it is held to the same
 * 100 ms: under the timeout + 100 ms. (+ 50 ms was too tight to hold: under
 * the platform's load the machine alone delays an instant 503 by up to 51 ms,
 * and a stalled Redis' 503 came 152 ms after the ping, 100 ms of it the wait.)
 */
export function downTarget(kind: RedisDown) {
  if (kind !== 'stalled') {
    return { ms: 100, says: '< 100 ms' }
  }
  const timeoutMs = Number(roleValue('PING_REDIS_TIMEOUT_MS', DEFAULT_REDIS_TIMEOUT_MS))
  return {
    ms: timeoutMs + 100,
    says: `< PING_REDIS_TIMEOUT_MS ${timeoutMs} + 100 ms`,
  }
}

/**
 * A port standing for a Redis that is down, how to clean up after it, and
 * `stall()`, to call once the edge is connected (the 'stalled' kind: until
 * then it forwards to the real Redis).
 */
export async function downRedisPort(kind: RedisDown) {
  if (kind === 'closed port') {
    return { port: await freePort(), stall() {}, close: async () => {} }
  }
  const sockets = new Set<Socket>()
  let forwarding = kind === 'stalled'
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => sockets.delete(socket))
    socket.on('close', () => sockets.delete(socket))
    if (kind === 'stalled') {
      const upstream = createConnection(
        Number(process.env.REDIS_PORT ?? 6379),
        process.env.REDIS_HOST ?? '127.0.0.1'
      )
      sockets.add(upstream)
      upstream.on('error', () => socket.destroy())
      upstream.on('close', () => sockets.delete(upstream))
      socket.on('data', (chunk) => forwarding && upstream.write(chunk))
      upstream.on('data', (chunk) => forwarding && socket.write(chunk))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    stall() {
      forwarding = false
    },
    async close() {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/**
 * The slowest of `count` pings, one after the other, each answered 503 by an
 * edge whose Redis is down; in ms. One `/health` call first, not counted:
 * the first fetch of this process loads and warms its HTTP client (~100 ms
 * on a busy machine), a cost of the probe, not of the edge.
 */
export async function slowest503(url: string, uuid: string, count = 200) {
  await fetch(`${url}/health`).then((response) => response.text())
  let slowest = 0
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const response = await fetch(`${url}/ping/${uuid}`)
    await response.text()
    if (response.status !== 503) {
      throw new Error(`expected 503 with Redis down, got ${response.status}`)
    }
    slowest = Math.max(slowest, performance.now() - started)
  }
  return slowest
}
