import type { AddressInfo } from 'node:net'
import { EXIT_SETTING, portTakenLine } from '#lib/faults'
import type { RedisPingStore } from '../redis_store.js'
import type { SmtpdConfig } from './config.js'
import { createSmtpd } from './server.js'

/**
 * Starts the SMTP listener on the given store: alone (`pnpm smtpd`) or in
 * the edge's process (small mode). Resolves with a function that closes it.
 */
export async function listenSmtpd(store: RedisPingStore, config: SmtpdConfig) {
  const server = createSmtpd(
    { store, bodyLimit: config.edge.bodyLimit, rateLimit: config.edge.rateLimit },
    config
  )
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      console.error(`ngip smtpd: ${portTakenLine(config.port, 'SMTPD_PORT')}`)
      process.exit(EXIT_SETTING)
    }
    console.error(`smtpd: ${error.message}`)
  })
  await new Promise<void>((resolve) => server.listen(config.port, config.host, () => resolve()))
  const { port } = server.server.address() as AddressInfo
  console.log(`smtpd listening on ${config.host}:${port} for <uuid>@${config.domain}`)
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}
