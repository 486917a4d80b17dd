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
    // Blocking reads get a connection of their own.
    const connection = redis.connection('main').ioConnection.duplicate()
    const ingest = new PingIngest(connection, {
      ...settings,
      consumer: `${hostname()}-${process.pid}`,
    })
    await ingest.ensureGroup()

    this.logger.info('worker: draining the ping stream')
    const loop = this.drain(ingest)
    // SIGTERM terminates the app: let the batch in hand commit first.
    this.app.terminating(async () => {
      ingest.stop()
      await loop
    })
    await loop
    connection.disconnect()
    this.logger.info('worker: stopped')
    await this.app.terminate()
  }

  async drain(ingest: PingIngest) {
    while (!ingest.stopping) {
      try {
        await ingest.runOnce()
      } catch (error) {
        if (!ingest.stopping) {
          this.logger.error(`worker: ${(error as Error).message}`)
          await new Promise((resolve) => setTimeout(resolve, 1000))
        }
      }
    }
  }
}
