import { EXIT_SETTING } from '#lib/faults'
import { loadDotEnv } from '../config.js'
import { RedisPingStore } from '../redis_store.js'
import { loadSmtpdConfig, type SmtpdConfig } from './config.js'
import { listenSmtpd } from './listen.js'

/**
 * Entry of the "smtpd" role: email pings. Like the edge it talks to Redis
 * only, so it keeps taking mail while the app or PostgreSQL is down.
 */
loadDotEnv()
let config: SmtpdConfig
try {
  config = loadSmtpdConfig()
} catch (error) {
  console.error(
    `ngip smtpd: bad setting: ${(error as Error).message}; fix it in .env or the environment`
  )
  process.exit(EXIT_SETTING)
}
const edge = config.edge
const store = new RedisPingStore(edge.redis, edge.redisTimeoutMs, edge.redisClient)
store.outage.log = (line) =>
  console.error(line.replace('ping edge:', 'smtpd:').replace('503', '451'))
await store.ready()
const close = await listenSmtpd(store, config)

function stop() {
  setTimeout(() => process.exit(0), 6000).unref()
  void close().then(() => {
    void store.close()
    process.exit(0)
  })
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
