import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, watchPageProblems } from '#tests/helpers/browser'

test.group('Admin UI: API reference', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('is reached from the navigation and renders under the CSP without errors', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const problems = await watchPageProblems(browserContext)
    await browserContext.loginAs(await makeUser())
    const page = await visit('/dashboard')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API reference' })
      .click()
    await page.waitForURL('**/docs/api')
    await page.waitForLoadState('networkidle')
    await alpineReady(page)

    const intro = page.locator('.api-reference .prose').first()
    assert.include(await intro.innerText(), 'Authorization: Bearer <key>')
    assert.notInclude(await intro.innerText(), '`')
    assert.equal(await intro.locator('code').first().innerText(), 'Authorization: Bearer <key>')
    const create = page.locator('#createToken')
    assert.include(
      await create.locator('pre.example-request').innerText(),
      'Authorization: Bearer $NGIP_API_KEY'
    )
    assert.include(await create.locator('pre.example-answer').innerText(), 'HTTP/1.1 201 Created')
    const slug = page.locator('#schema-Token tr', { hasText: 'slug' }).first()
    assert.include(await slug.innerText(), 'string or null')
    assert.include(await slug.innerText(), 'at most 100 characters')
    // Styles apply: the stylesheet loaded under the policy
    const whiteSpace = await create
      .locator('pre.example-request')
      .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).whiteSpace)
    assert.equal(whiteSpace, 'pre')
    assert.deepEqual(problems, [])
  })
})
