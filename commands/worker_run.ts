import { hostname } from 'node:os'
import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import redis from '@adonisjs/redis/services/main'
import { PingIngest } from '#services/ping_ingest'

export default class WorkerRun extends BaseCommand {
  static commandName = 'worker:run'
  static description = 'The worker role: drain the ping stream into PostgreSQL'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    const settings = this.app.config.get<{
      batchSize: number
      blockMs: number
      claimIdleMs: number
    }>('ngip.ingest')
    // Blocking reads get a connection of their own; acks use the shared one.
    const reader = redis.connection('main').ioConnection.duplicate()
    const ingest = new PingIngest(
      reader,
      {
        ...settings,
        consumer: `${hostname()}-${process.pid}`,
        pingLogLimit: this.app.config.get<number>('ngip.pingLogLimit'),
        onError: (error) => this.logger.error(`worker: ${(error as Error).message}`),
      },
      redis.connection('main').ioConnection
    )
    await ingest.ensureGroup()

    this.logger.info('worker: draining the ping stream')
    const loop = ingest.run().catch((error) => {
      this.logger.error(`worker: stopped with the batch unacknowledged: ${error.message}`)
      this.exitCode = 1
    })
    // SIGTERM terminates the app: let the batch in hand commit first.
    this.app.terminating(async () => {
      ingest.stop()
      await loop
    })
    await loop
    reader.disconnect()
    this.logger.info('worker: stopped')
    await this.app.terminate()
  }
}
