import type { ApplicationService } from '@adonisjs/core/types'
import { Worker } from '@adonisjs/queue'
import FlipDispatcher from '#services/alerts/flip_dispatcher'

interface Log {
  info(message: string): void
  /** An error the loop survives (told once per outage by the worker) */
  report(error: unknown, what: string): void
}

/**
 * The worker role's alerting half: a loop that turns new Flips into
 * notification jobs, and the queue worker that runs those jobs.
 */
export default class AlertWorker {
  #stopping = false
  #worker?: Worker

  constructor(
    private app: ApplicationService,
    private logger: Log,
    private dispatcher = new FlipDispatcher(),
    private intervalMs = 500
  ) {}

  async start() {
    await Promise.all([this.#dispatchLoop(), this.#runQueue()])
  }

  async stop() {
    this.#stopping = true
    await this.#worker?.stop()
  }

  async #dispatchLoop() {
    while (!this.#stopping) {
      try {
        const queued = await this.dispatcher.runOnce()
        if (queued > 0) {
          this.logger.info(`worker: queued ${queued} notification${queued === 1 ? '' : 's'}`)
          continue
        }
      } catch (error) {
        this.logger.report(error, 'flip dispatch')
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs))
    }
  }

  /**
   * Runs queued jobs as `queue:work` would, inside this process.
   */
  async #runQueue() {
    const config = this.app.config.get<Record<string, any>>('queue')
    if (config.default !== 'redis' || this.#stopping) {
      return
    }
    const manager = await this.app.container.make('queue.manager')
    await manager.loadJobs()
    const adapters: Record<string, unknown> = {}
    for (const [name, adapter] of Object.entries<any>(config.adapters)) {
      adapters[name] = typeof adapter === 'function' ? adapter : await adapter.resolver(this.app)
    }
    this.#worker = new Worker({
      ...config,
      autoLoadJobs: false,
      adapters,
      jobFactory: (job: any) => this.app.container.make(job),
      logger: await this.app.container.make('logger'),
      // Stopping is ours: the worker role finishes its ingest batch first.
      worker: { ...config.worker, gracefulShutdown: false },
    } as unknown as ConstructorParameters<typeof Worker>[0])
    await this.#worker.start(['default'])
  }
}
