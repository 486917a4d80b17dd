import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, readClipboard, seeText } from '#tests/helpers/browser'

test.group('Admin UI: the Account page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('copies the ping key, and makes a new one only after a warning', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const old = user.pingKey
    await browserContext.grantPermissions(['clipboard-read', 'clipboard-write'])
    await browserContext.loginAs(user)
    const page = await visit('/account')
    await alpineReady(page)

    await page.getByRole('button', { name: 'Copy the ping key' }).click()
    assert.equal(await readClipboard(page), old)

    await page.getByRole('button', { name: 'Regenerate' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    assert.include(await dialog.innerText(), 'stop working')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await user.refresh()
    assert.equal(user.pingKey, old)

    await page.getByRole('button', { name: 'Regenerate' }).click()
    await dialog.getByRole('button', { name: 'Make a new ping key' }).click()
    await seeText(page, '.flash-success', 'no longer work')
    await user.refresh()
    assert.notEqual(user.pingKey, old)
    assert.equal(await page.locator('code.ping-key').innerText(), user.pingKey)
  })

  test('opts in to a weekly email report at an hour of a time zone', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    await browserContext.loginAs(user)
    const page = await visit('/account')
    await page.getByLabel('Send').selectOption('weekly')
    await page.getByLabel('At', { exact: true }).selectOption('7')
    await page.getByLabel('Time zone').fill('Europe/Nowhere')
    await page.getByRole('button', { name: 'Save report' }).click()
    await seeText(page, '#report_tz-error', 'Use an IANA time zone')

    await page.getByLabel('Time zone').fill('Europe/Berlin')
    await page.getByRole('button', { name: 'Save report' }).click()
    await seeText(page, '.flash-success', 'Email report saved')
    await seeText(page, '.report-next', 'Next report:')
    await user.refresh()
    assert.deepInclude(
      { period: user.reportPeriod, hour: user.reportHour, tz: user.reportTz },
      { period: 'weekly', hour: 7, tz: 'Europe/Berlin' }
    )
  })
})
