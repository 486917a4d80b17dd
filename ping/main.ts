import type { AddressInfo } from 'node:net'
import { createEdgeServer } from './server.js'
import { loadDotEnv, loadEdgeConfig } from './config.js'
import { RedisPingStore } from './redis_store.js'
import { EXIT_SETTING, portTakenLine } from '#lib/faults'
import { edgeMetrics } from './metrics.js'
import { listenMetrics } from '#lib/metrics_server'

/**
 * Entry of the "ping" role: the edge as a node:http server.
 */
/** A setting that cannot work: one line, and exit 78 (`pnpm start` does not restart it). */
function stopForSetting(line: string): never {
  console.error(`ngip ping: ${line}`)
  process.exit(EXIT_SETTING)
}

loadDotEnv()
let config: ReturnType<typeof loadEdgeConfig>
try {
  config = loadEdgeConfig()
} catch (error) {
  stopForSetting(`bad setting: ${(error as Error).message}; fix it in .env or the environment`)
}
const store = new RedisPingStore(
  config.redis,
  config.redisTimeoutMs,
  config.redisClient,
  config.redisBusyTimeoutMs
)
store.outage.log = (line) => console.error(line)
store.lingerMs = config.flushLingerMs
const metrics = config.metrics ? edgeMetrics() : null
const server = createEdgeServer(
  { store, bodyLimit: config.bodyLimit, rateLimit: config.rateLimit },
  {
    trustedProxies: config.trustedProxies,
    connections: config.connections,
    onAnswer: metrics?.count,
  }
)
let capWarnedAt = 0
server.on('drop', () => {
  // At most a line a minute, however many connections are refused.
  if (Date.now() - capWarnedAt > 60_000) {
    capWarnedAt = Date.now()
    console.warn(
      `ping edge: ${config.connections.maxConnections} connections open (PING_MAX_CONNECTIONS), closing new ones`
    )
  }
})
await store.ready()

server.once('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    stopForSetting(portTakenLine(config.port, 'PING_PORT'))
  }
  throw error
})
if (metrics && config.metrics) {
  const { port } = await listenMetrics(metrics.registry, config.metrics)
  console.log(`ping edge metrics on http://${config.metrics.host}:${port}/metrics`)
}

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo
  console.log(`ping edge listening on http://${config.host}:${port}`)
})

/** Small mode: email pings in this process, on the same store (bin/roles.ts). */
async function startSmtpd() {
  const { loadSmtpdConfig } = await import('./smtpd/config.js')
  let smtpdConfig: ReturnType<typeof loadSmtpdConfig>
  try {
    smtpdConfig = loadSmtpdConfig()
  } catch (error) {
    stopForSetting(`bad setting: ${(error as Error).message}; fix it in .env or the environment`)
  }
  const { listenSmtpd } = await import('./smtpd/listen.js')
  return listenSmtpd(store, smtpdConfig)
}
const closeSmtpd = process.argv.includes('--with-smtpd') ? await startSmtpd() : null

function stop() {
  void closeSmtpd?.()
  server.close(() => {
    void store.close()
    process.exit(0)
  })
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
