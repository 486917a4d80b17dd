import { test } from '@japa/runner'
import type { Page } from 'playwright'
import config from '@adonisjs/core/services/config'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import {
  alpineReady,
  makeBusyToken,
  readClipboard,
  seeText,
  waitForCount,
  watchPageProblems,
} from '#tests/helpers/browser'

/**
 * Opens a confirmation dialog with `button` and closes it again with Cancel:
 * the dialogs are Alpine's `$refs…showModal()`.
 */
async function openAndCancel(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'hidden' })
}

test.group('Admin UI: under its Content-Security-Policy', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('every page loads with no policy violation, script or Alpine error', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const problems = await watchPageProblems(browserContext)
    const admin = await makeUser({ isAdmin: true, password: 'correct-horse' })
    const token = await makeBusyToken(admin)
    const channel = await makeChannel(admin, 'Hook')
    await makeApiKey(admin)
    await makeUser({ email: 'someone@example.com' })
    const withBody = await token.related('pings').query().whereNotNull('body').firstOrFail()

    const page = await visit('/login')
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill('correct-horse')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/dashboard')

    const pages = [
      '/dashboard',
      `/tokens/${token.uuid}`,
      `/tokens/${token.uuid}/edit`,
      '/tokens/new',
      `/pings/${withBody.id}`,
      '/channels',
      '/channels/new',
      `/channels/${channel.id}/edit`,
      '/api-keys',
      '/account',
      '/project',
      '/users',
      '/docs/api',
      '/no-such-page',
    ]
    for (const path of pages) {
      const response = await page.goto(path)
      assert.match(response!.headers()['content-security-policy'], /script-src 'self'/, path)
      await page.waitForLoadState('networkidle')
      await alpineReady(page)
    }
    await page.goto(`/tokens/${token.uuid}`)
    await page.locator('#chart-pings canvas').waitFor()
    assert.deepEqual(problems, [])
  })

  test('its interactive parts work', async ({ visit, browserContext, assert }) => {
    const problems = await watchPageProblems(browserContext)
    await browserContext.grantPermissions(['clipboard-read', 'clipboard-write'])
    const admin = await makeUser({ isAdmin: true })
    const token = await makeBusyToken(admin)
    await makeToken(admin, { name: 'cleanup' })
    await makeApiKey(admin)
    // A loopback address that refuses at once, made while private addresses are allowed
    const allowPrivate = config.get('ngip.integrationsAllowPrivateIps')
    config.set('ngip.integrationsAllowPrivateIps', true)
    await makeChannel(admin, 'Closed port', { url: 'http://127.0.0.1:9/hook' })
    config.set('ngip.integrationsAllowPrivateIps', allowPrivate)
    await makeUser({ email: 'someone@example.com' })
    await browserContext.loginAs(admin)

    // Dashboard: filters apply as typed; copy buttons copy
    const page = await visit('/dashboard')
    await alpineReady(page)
    await page.getByLabel('Search by name').fill('clean')
    await waitForCount(page, 'table.tokens tbody tr', 1)
    await page.getByRole('button', { name: 'Copy the ping URL of cleanup' }).click()
    await seeText(page, 'table.tokens button.copy', 'Copied')
    assert.match(await readClipboard(page), /\/ping\//)

    // Token page: charts drawn, the delete dialog opens and closes
    await page.goto(`/tokens/${token.uuid}`)
    await alpineReady(page)
    await page.locator('#chart-durations canvas').waitFor()
    await page.locator('#chart-pings canvas').waitFor()
    await seeText(page, 'table.pings', 'backup done')
    await openAndCancel(page, 'Delete')

    // Token form: the schedule kind switches fields; a cron schedule previews its runs
    await page.goto('/tokens/new')
    await alpineReady(page)
    assert.isFalse(await page.getByLabel('Cron expression').isVisible())
    await page.getByRole('radio', { name: 'On a cron schedule' }).check()
    await page.locator('#tz').fill('UTC')
    await page.getByLabel('Cron expression').fill('30 4 * * 1')
    await waitForCount(page, '.runs li', 5)
    assert.isFalse(await page.getByLabel('Period', { exact: true }).isVisible())

    // Channel form: the kind shows its own fields
    await page.goto('/channels/new')
    await alpineReady(page)
    assert.isFalse(await page.getByLabel('Send to').isVisible())
    await page.getByLabel('Kind').selectOption('email')
    await page.getByLabel('Send to').waitFor()
    assert.isFalse(await page.getByLabel('URL').isVisible())

    // Channels: the test button posts and says how it went; delete asks first
    await page.goto('/channels')
    await alpineReady(page)
    // Its own Channel's button: an admin sees every User's Channels.
    await page
      .locator('tr', { hasText: 'Closed port' })
      .getByRole('button', { name: 'Send test' })
      .click()
    await seeText(page, '.flash', 'Closed port')
    await alpineReady(page)
    await openAndCancel(page, 'Delete')

    // API keys and Users: their confirmations open and close
    await page.goto('/api-keys')
    await alpineReady(page)
    await openAndCancel(page, 'Revoke')
    await page.goto('/users')
    await alpineReady(page)
    await openAndCancel(page, 'Delete someone@example.com')

    assert.deepEqual(problems, [])
  })
})
