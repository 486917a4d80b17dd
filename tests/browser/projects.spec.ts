import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import ProjectService from '#services/projects/project_service'
import TokenService from '#services/tokens/token_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, dontSeeText, readClipboard, seeText } from '#tests/helpers/browser'

test.group('Admin UI: Projects', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('the project switcher shows the chosen Project’s Tokens only', async ({
    visit,
    browserContext,
  }) => {
    const user = await makeUser()
    await makeToken(user, { name: 'home-backup' })
    const second = await ProjectService.create(user, 'Second team')
    await TokenService.create(user, { name: 'second-job' }, second.id)
    await browserContext.loginAs(user)
    const page = await visit('/dashboard')
    await seeText(page, 'main', 'home-backup')
    await dontSeeText(page, 'main', 'second-job')
    await alpineReady(page)
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Second team' })
    await seeText(page, 'main', 'second-job')
    await dontSeeText(page, 'main', 'home-backup')
    await page.getByRole('link', { name: 'Project', exact: true }).click()
    await seeText(page, 'h1', 'Project Second team')
  })

  test('a badge renders in the page and follows its Tokens; its Markdown copies', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'nightly', tags: ['db'] })
    await db
      .from('tokens')
      .where('id', token.id)
      .update({
        status: 'up',
        grace: 3600,
        alert_after: new Date(Date.now() + 7200_000),
      })
    await browserContext.grantPermissions(['clipboard-read', 'clipboard-write'])
    await browserContext.loginAs(user)
    const page = await visit('/project')
    const badge = page.locator('tr[data-badge="db"] img').first()
    await badge.waitFor()
    await page.waitForFunction(
      (img) =>
        (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
        (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0,
      await badge.elementHandle()
    )
    const src = (await badge.getAttribute('src'))!
    const seen = async () =>
      page.evaluate(async (url) => {
        const response = await fetch(url)
        return response.text()
      }, src)
    assert.include(await seen(), '>up</text>')

    await alpineReady(page)
    await page.getByRole('button', { name: 'Copy the Markdown of db' }).click()
    assert.equal(await readClipboard(page), `![db](${src})`)

    await db.from('tokens').where('id', token.id).update({ status: 'down' })
    assert.include(await seen(), '>down</text>')
    await page.reload()
    const width = await page
      .locator('tr[data-badge="db"] img')
      .first()
      .evaluate(
        (img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth
      )
    assert.isAbove(width, 0)
  })
})
