import { assert } from '@japa/assert'
import { ApiClient, apiClient } from '@japa/api-client'
import { browserClient } from '@japa/browser-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authBrowserClient } from '@adonisjs/auth/plugins/browser_client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { chromium } from 'playwright'
import { spec } from '@japa/runner/reporters'
import { ensureDatabase, migrate } from '#services/operations/database_setup'
import { summaryFileReporter } from '#tests/helpers/summary_reporter'
import { checkAgainstOpenApi } from '#tests/helpers/openapi_check'
import { onAppSessionStore } from '#tests/helpers/session_store'

// Every /api/v1 answer a test gets must be one the OpenAPI document promises.
ApiClient.teardown(checkAgainstOpenApi)

export const plugins: Config['plugins'] = [
  assert(),
  pluginAdonisJS(app),
  apiClient(),
  sessionApiClient(onAppSessionStore(app)),
  shieldApiClient(),
  authApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    /**
     * Debian's Chromium, never a downloaded browser. Background networking is
     * off: this machine's network is closed and the tests check that no page
     * reaches off the machine.
     */
    launcher: (config) =>
      chromium.launch({
        ...config,
        headless: true,
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
  }),
  sessionBrowserClient(onAppSessionStore(app)),
  authBrowserClient(app),
]

export const reporters: Config['reporters'] = {
  activated: ['spec', 'summary-file'],
  list: [spec(), summaryFileReporter()],
}

/**
 * The test database is created when missing and migrated before any test.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    async () => {
      await ensureDatabase()
      await migrate()
    },
  ],
  teardown: [],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
