/*
|--------------------------------------------------------------------------
| HTTP server entrypoint (the "web" role)
|--------------------------------------------------------------------------
*/

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

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.ready(async () => {
      const { checkDatabaseAtStart } = await import('#services/operations/outages')
      await checkDatabaseAtStart()
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
  .httpServer()
  .start()
  .catch((error) => reportFatal(error, 'web'))
