import { hostname } from 'node:os'
import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import redis from '@adonisjs/redis/services/main'
import { PingIngest } from '#services/ping_ingest'
import NotificationWorker from '#services/notification_worker'

export default class WorkerRun extends BaseCommand {
  static commandName = 'worker:run'
  static description =
    'The worker role: drain the ping stream into PostgreSQL, queue and send notifications'
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
    const notifications = new NotificationWorker(this.app, this.logger)
    const alerting = notifications.start().catch((error) => {
      this.logger.error(`worker: notifications stopped: ${error.message}`)
    })
    // SIGTERM terminates the app: let the batch in hand commit first.
    this.app.terminating(async () => {
      ingest.stop()
      await notifications.stop()
      await Promise.all([loop, alerting])
    })
    await loop
    await notifications.stop()
    await alerting
    reader.disconnect()
    this.logger.info('worker: stopped')
    await this.app.terminate()
  }
}
