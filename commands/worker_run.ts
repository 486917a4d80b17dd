import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { listenWorkerMetrics, startWorker } from '#services/ingest/worker_role'

export default class WorkerRun extends BaseCommand {
  static commandName = 'worker:run'
  static description =
    'The worker role: drain the ping stream into PostgreSQL, queue and send notifications'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    let metricsServer
    try {
      metricsServer = await listenWorkerMetrics(this.app)
    } catch (error) {
      // A worker that cannot serve its metrics as configured stops, never hangs.
      this.logger.error(`worker: ${(error as Error).message}`)
      this.exitCode = 1
      await this.app.terminate()
      return
    }
    const worker = await startWorker(this.app, metricsServer)
    if (!worker) {
      return
    }
    // SIGTERM terminates the app: let the batch in hand commit first.
    this.app.terminating(() => worker.stop())
    const { failed } = await worker.finished
    if (failed) {
      this.exitCode = 1
    }
    await this.app.terminate()
  }
}
