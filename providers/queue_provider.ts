import QueueProvider from '@adonisjs/queue/queue_provider'

/**
 * The stock provider opens its Redis connection in boot/start, which keeps
 * `ace codegen` (run in "warmup" mode, where providers never shut down) alive
 * forever. Connect only when the app really runs.
 */
export default class AppQueueProvider extends QueueProvider {
  async boot() {
    if (this.app.getMode() === 'run') {
      await super.boot()
    }
  }

  async start() {
    if (this.app.getMode() === 'run') {
      await super.start()
    }
  }
}
