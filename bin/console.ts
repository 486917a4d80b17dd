/*
|--------------------------------------------------------------------------
| Ace entrypoint
|--------------------------------------------------------------------------
|
| Commands do not boot the application unless they set "options.startApp".
| The worker and scheduler roles are long-running ace commands.
|
*/

await import('reflect-metadata')
const { Ignitor } = await import('@adonisjs/core')
const { aceErrorHandler, reportFatal } = await import('../lib/fatal.ts')

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** Named in one-line fault reports: `worker`, `scheduler`, or the command. */
const role = process.argv[2]?.replace(/:run$/, '') ?? 'ace'

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
  .ace()
  .configure(async (app) => {
    const kernel = await app.container.make('ace')
    kernel.errorHandler = aceErrorHandler(kernel.errorHandler, role)
  })
  .handle(process.argv.splice(2))
  .catch((error) => reportFatal(error, role))
