import { test } from '@japa/runner'
import type { Page } from 'playwright'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenService from '#services/tokens/token_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, recordPing, waitForCount } from '#tests/helpers/browser'

/** The Token names of the dashboard's rows, top to bottom, once they read `expected`. */
async function namesRead(page: Page, expected: string[]) {
  const deadline = Date.now() + 5000
  let names: string[] = []
  while (Date.now() < deadline) {
    names = await page.locator('table.tokens tbody .token-name').allInnerTexts()
    if (names.join() === expected.join()) {
      return names
    }
    await page.waitForTimeout(50)
  }
  return names
}

test.group('Admin UI: dashboard order and owners', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('sorts by status (down first), name, last ping and newest, keeping the filters', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    await makeToken(user, { name: 'alpha', tags: ['prod'] })
    const bravo = await makeToken(user, { name: 'bravo', tags: ['prod'] })
    const charlie = await makeToken(user, { name: 'charlie', tags: ['prod'] })
    await TokenService.pause(await makeToken(user, { name: 'delta', tags: ['prod'] }))
    await makeToken(user, { name: 'echo', tags: ['other'] })
    await recordPing(bravo, { kind: 'fail' })
    await recordPing(charlie)
    await browserContext.loginAs(user)
    const page = await visit('/dashboard?tag=prod')
    await alpineReady(page)
    await waitForCount(page, 'table.tokens tbody tr', 4)
    assert.deepEqual(await namesRead(page, ['delta', 'charlie', 'bravo', 'alpha']), [
      'delta',
      'charlie',
      'bravo',
      'alpha',
    ])

    await page.getByLabel('Sort by').selectOption('status')
    assert.deepEqual(await namesRead(page, ['bravo', 'charlie', 'alpha', 'delta']), [
      'bravo',
      'charlie',
      'alpha',
      'delta',
    ])
    await page.assertQueryString({ tag: 'prod', sort: 'status' })

    await page.getByLabel('Sort by').selectOption('name')
    assert.deepEqual(await namesRead(page, ['alpha', 'bravo', 'charlie', 'delta']), [
      'alpha',
      'bravo',
      'charlie',
      'delta',
    ])

    await page.getByLabel('Sort by').selectOption('last_ping')
    assert.deepEqual(await namesRead(page, ['charlie', 'bravo', 'delta', 'alpha']), [
      'charlie',
      'bravo',
      'delta',
      'alpha',
    ])

    await page.reload()
    assert.equal(await page.getByLabel('Sort by').inputValue(), 'last_ping')
    assert.equal(await page.getByLabel('Tag').inputValue(), 'prod')
    assert.deepEqual(await namesRead(page, ['charlie', 'bravo', 'delta', 'alpha']), [
      'charlie',
      'bravo',
      'delta',
      'alpha',
    ])
  })

  test('admins see whose each Token is and filter by owner; users see no owner column', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const admin = await makeUser({ isAdmin: true, email: 'admin@example.com' })
    const ann = await makeUser({ email: 'ann@example.com' })
    const bob = await makeUser({ email: 'bob@example.com' })
    await makeToken(ann, { name: 'ann-job' })
    await makeToken(bob, { name: 'bob-job' })
    await makeToken(admin, { name: 'admin-job' })
    await browserContext.loginAs(admin)
    const page = await visit('/dashboard')
    await alpineReady(page)
    const owner = (name: string) =>
      page.locator(`tr:has(a:text-is("${name}")) td.owner`).innerText()
    assert.equal(await owner('ann-job'), 'ann@example.com')
    assert.equal(await owner('bob-job'), 'bob@example.com')
    assert.equal(await page.locator('table.tokens th', { hasText: 'Owner' }).count(), 1)

    await page.getByLabel('Owner').selectOption({ label: 'bob@example.com' })
    await waitForCount(page, 'table.tokens tbody tr', 1)
    assert.equal(await owner('bob-job'), 'bob@example.com')
    await page.assertQueryString({ owner: String(bob.id) })
  })

  test('a User who is no admin has no owner column nor filter', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const ann = await makeUser({ email: 'ann@example.com' })
    await makeToken(ann, { name: 'ann-job' })
    await browserContext.loginAs(ann)
    const own = await visit('/dashboard')
    await own.locator('table.tokens').waitFor()
    assert.equal(await own.locator('table.tokens th', { hasText: 'Owner' }).count(), 0)
    assert.equal(await own.getByLabel('Owner').count(), 0)
  })
})
