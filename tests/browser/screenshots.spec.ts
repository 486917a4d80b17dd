import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenService from '#services/tokens/token_service'
import { makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { makeBusyToken, recordPing } from '#tests/helpers/browser'
import { PHONE } from '#tests/helpers/phone'

/**
 * Regenerates docs/screenshots/*.png from seeded data, on a desktop and a phone. Runs only when asked:
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

  test('on a phone: dashboard, Token page and Users', async ({ visit, browserContext }) => {
    const admin = await makeUser({ email: 'ops@example.com', isAdmin: true })
    const dev = await makeUser({ email: 'dev@example.com' })
    await makeUser({ email: 'night-shift@example.com' })
    const backup = await makeBusyToken(admin, 'nightly-backup', 4)
    const reports = await makeToken(dev, { name: 'weekly-reports', tags: ['reports'] })
    await recordPing(reports, { kind: 'fail', exit_status: 2 })
    await makeToken(admin, { name: 'cert-renewal', tags: ['prod', 'tls'], timeout: 86_400 })
    await browserContext.loginAs(admin)

    const page = await visit('/dashboard?sort=status')
    await page.setViewportSize(PHONE)
    await page.screenshot({ path: 'docs/screenshots/phone-dashboard.png', fullPage: true })

    await page.goto(`/tokens/${backup.uuid}`)
    await page.locator('#chart-pings canvas').waitFor()
    await page.screenshot({ path: 'docs/screenshots/phone-token.png', fullPage: true })

    await page.goto('/users')
    await page.screenshot({ path: 'docs/screenshots/phone-users.png', fullPage: true })
  }).skip(!wanted, 'set NGIP_SCREENSHOTS=1 (scripts/screenshots.ts) to regenerate')
})
