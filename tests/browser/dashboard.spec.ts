import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenService from '#services/tokens/token_service'
import { pingUrlOf } from '#transformers/token_transformer'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import {
  alpineReady,
  dontSeeText,
  readClipboard,
  recordPing,
  seeText,
  waitForCount,
} from '#tests/helpers/browser'

test.group('Admin UI: dashboard', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('lists each Token with status, last ping, schedule and tags', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const backup = await makeToken(user, { name: 'backup', tags: ['prod'], timeout: 3600 })
    await recordPing(backup)
    const failing = await makeToken(user, { name: 'reports', kind: 'cron', schedule: '0 6 * * *' })
    await recordPing(failing, { kind: 'fail', exit_status: 2 })
    await TokenService.pause(await makeToken(user, { name: 'legacy' }))
    await browserContext.loginAs(user)

    const page = await visit('/dashboard')
    const row = (name: string) => `tr:has(a:text-is("${name}"))`
    await seeText(page, `${row('backup')} .status-up`, 'up')
    await seeText(page, `${row('backup')}`, 'every 1 h')
    await seeText(page, `${row('backup')} .tag`, 'prod')
    await seeText(page, `${row('backup')} time`, 'just now')
    assert.match((await page.locator(`${row('backup')} time`).getAttribute('title'))!, /UTC$/)
    await seeText(page, `${row('reports')} .status-down`, 'down')
    await seeText(page, `${row('reports')}`, '0 6 * * * (UTC)')
    await seeText(page, `${row('legacy')} .status-paused`, 'paused')
    await seeText(page, `${row('legacy')}`, 'never')
  })

  test('filters by status and tag and searches by name without a reload', async ({
    visit,
    browserContext,
  }) => {
    const user = await makeUser()
    await recordPing(await makeToken(user, { name: 'db-backup', tags: ['prod'] }))
    await recordPing(await makeToken(user, { name: 'web-backup', tags: ['staging'] }), {
      kind: 'fail',
    })
    await makeToken(user, { name: 'cleanup', tags: ['prod'] })
    await browserContext.loginAs(user)
    const page = await visit('/dashboard')
    await alpineReady(page)

    await page.getByLabel('Status').selectOption('down')
    await seeText(page, 'table.tokens', 'web-backup')
    await waitForCount(page, 'table.tokens tbody tr', 1)
    await page.assertQueryString({ status: 'down' })

    await page.getByLabel('Status').selectOption('')
    await page.getByLabel('Tag').selectOption('prod')
    await waitForCount(page, 'table.tokens tbody tr', 2)
    await dontSeeText(page, 'table.tokens', 'web-backup')

    await page.getByLabel('Search by name').fill('clean')
    await waitForCount(page, 'table.tokens tbody tr', 1)
    await seeText(page, 'table.tokens', 'cleanup')

    await page.getByLabel('Search by name').fill('nothing-like-this')
    await seeText(page, '.empty', 'No Token matches these filters')
  })

  test('refreshes itself: a new ping shows up without reloading the page', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'heartbeat' })
    await browserContext.loginAs(user)
    await browserContext.clock.install()
    const page = await visit('/dashboard')
    await alpineReady(page)
    await seeText(page, 'tr[data-token] .status', 'new')
    await page.evaluate("window.marker = 'same page'")

    await recordPing(token)
    await page.clock.fastForward(11_000)
    await seeText(page, 'tr[data-token] .status', 'up')
    await seeText(page, 'tr[data-token] time', 'just now')
    assert.equal(await page.evaluate('window.marker'), 'same page')
  })

  test('copies the ping URL and a curl line', async ({ visit, browserContext, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'copy-me' })
    await browserContext.grantPermissions(['clipboard-read', 'clipboard-write'])
    await browserContext.loginAs(user)
    const page = await visit('/dashboard')
    await alpineReady(page)

    await page.getByRole('button', { name: 'Copy a curl line for copy-me' }).click()
    await seeText(page, 'button.copy', 'Copied')
    const copied = await readClipboard(page)
    assert.equal(copied, `curl -fsS -m 10 --retry 5 ${pingUrlOf(token)}`)
  })

  test('a user sees only their own Tokens', async ({ visit, browserContext }) => {
    const me = await makeUser()
    await makeToken(me, { name: 'mine' })
    await makeToken(await makeUser(), { name: 'theirs' })
    await browserContext.loginAs(me)
    const page = await visit('/dashboard')
    await seeText(page, 'table.tokens', 'mine')
    await dontSeeText(page, 'table.tokens', 'theirs')
  })

  test('an admin sees every User’s Tokens', async ({ visit, browserContext }) => {
    await makeToken(await makeUser(), { name: 'theirs' })
    await browserContext.loginAs(await makeUser({ isAdmin: true }))
    const page = await visit('/dashboard')
    await seeText(page, 'table.tokens', 'theirs')
  })
})
