/*
|--------------------------------------------------------------------------
| The small mode's app process: web, worker and scheduler in one
|--------------------------------------------------------------------------
|
| For one small machine (`pnpm start --small`, NGIP_MODE=small, or the
| image's `small` command). Serves HTTP like bin/server.ts, drains the ping
| stream like `ace worker:run` and runs the schedule like `ace
| scheduler:run`: one Node runtime, one framework and one set of database
| and Redis connections instead of three. SIGTERM stops the HTTP server, lets
| the batch in hand commit and stops the schedule before the process exits.
|
*/

import type { ApplicationService } from '@adonisjs/core/types'

await import('reflect-metadata')
const { Ignitor } = await import('@adonisjs/core')
const { reportFatal } = await import('../lib/fatal.ts')

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/**
 * The scheduler's and the worker's parts, as their ace commands start them.
 */
async function startBackground(app: ApplicationService) {
  await import('#start/scheduler')
  const { Worker } = await import('adonisjs-scheduler')
  const schedule = new Worker(app)
  app.terminating(() => schedule.stop())
  await schedule.start()

  const { listenWorkerMetrics, startWorker } = await import('#services/ingest/worker_role')
  const worker = await startWorker(app, await listenWorkerMetrics(app))
  if (!worker) {
    return
  }
  // SIGTERM terminates the app: let the batch in hand commit first.
  app.terminating(() => worker.stop())
  const { failed } = await worker.finished
  if (failed && !app.isTerminating) {
    // Restarted whole by `pnpm start` or the container's restart policy.
    process.exitCode = 1
    await app.terminate()
  }
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
      // The scheduler's provider is registered for ace commands only (adonisrc).
      const { Scheduler } = await import('adonisjs-scheduler')
      app.container.singleton('scheduler' as any, () => new Scheduler(app))
    })
    app.ready(async () => {
      const { checkDatabaseAtStart } = await import('#services/operations/outages')
      await checkDatabaseAtStart()
      // Not awaited: the worker waits for PostgreSQL and Redis without holding up HTTP.
      startBackground(app).catch((error) => reportFatal(error, 'app'))
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
  .httpServer()
  .start()
  .catch((error) => reportFatal(error, 'app'))
