import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenService from '#services/token_service'
import { makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { makeBusyToken, recordPing } from '#tests/helpers/browser'

/**
 * Regenerates docs/screenshots/*.png from seeded data. Runs only when asked:
 * `node scripts/screenshots.ts` (sets NGIP_SCREENSHOTS).
 */
const wanted = Boolean(process.env.NGIP_SCREENSHOTS)

test.group('Screenshots for the docs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('dashboard and Token page', async ({ visit, browserContext }) => {
    const user = await makeUser({ email: 'ops@example.com' })
    await makeChannel(user, 'Ops webhook')
    const backup = await makeBusyToken(user, 'nightly-backup')
    const reports = await makeToken(user, {
      name: 'weekly-reports',
      tags: ['reports'],
      kind: 'cron',
      schedule: '0 6 * * 1',
      tz: 'Europe/Paris',
    })
    await recordPing(reports, { kind: 'fail', exit_status: 2 })
    const sync = await makeToken(user, { name: 'crm-sync', tags: ['prod'], timeout: 300 })
    await recordPing(sync, { kind: 'start' })
    await TokenService.pause(await makeToken(user, { name: 'legacy-ftp', tags: ['old'] }))
    await makeToken(user, { name: 'cert-renewal', tags: ['prod', 'tls'], timeout: 86_400 })
    await browserContext.loginAs(user)

    const page = await visit('/dashboard')
    await page.setViewportSize({ width: 1200, height: 560 })
    await page.screenshot({ path: 'docs/screenshots/dashboard.png', fullPage: true })

    await page.goto(`/tokens/${backup.uuid}`)
    await page.setViewportSize({ width: 1200, height: 900 })
    await page.locator('#chart-pings canvas').waitFor()
    await page.screenshot({ path: 'docs/screenshots/token.png', fullPage: true })
  }).skip(!wanted, 'set NGIP_SCREENSHOTS=1 (scripts/screenshots.ts) to regenerate')
})
