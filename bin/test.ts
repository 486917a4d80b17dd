/*
|--------------------------------------------------------------------------
| Test runner entrypoint
|--------------------------------------------------------------------------
*/

process.env.NODE_ENV = 'test'

import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'
import { freePort } from './test_scope.ts'

// The suites' HTTP server listens on a free port, so a running `pnpm start`
// or a parallel run never collides with it. `pnpm test` (bin/run_tests.ts) has
// picked the run's ports already and printed them (NGIP_TEST_RUN marks such a
// run); only a bare `node bin/test.ts` picks its own here.
const scoped = Boolean(process.env.NGIP_TEST_RUN)
process.env.HOST = '127.0.0.1'
process.env.PORT =
  scoped && process.env.PORT
    ? process.env.PORT
    : (process.env.TEST_PORT ?? String(await freePort()))
// Email tests run a local SMTP server on this port.
process.env.SMTP_HOST = '127.0.0.1'
process.env.SMTP_PORT =
  scoped && process.env.SMTP_PORT ? process.env.SMTP_PORT : String(await freePort())

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
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      ...{
        setup: runnerHooks.setup,
        teardown: runnerHooks.teardown.concat([() => app.terminate()]),
      },
    })
  })
  .run(() => run())
  .catch(async (error) => {
    /**
     * Open database and Redis sockets would keep a failed bootstrap alive
     * forever, so exit explicitly.
     */
    await prettyPrintError(error)
    process.exit(1)
  })
