import { test } from '@japa/runner'
import type { Page } from 'playwright'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { seeText } from '#tests/helpers/browser'

const EXPIRED = 'The form expired; check and send it again'

/** What a form holds after its session moved on: a CSRF token that no longer matches. */
async function expireForms(page: Page) {
  await page.evaluate(
    `document.querySelectorAll('input[name="_csrf"]').forEach((input) => (input.value = 'stale'))`
  )
}

test.group('Admin UI: a form sent after it expired', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a new Token comes back with what was typed and says why', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    await browserContext.loginAs(user)
    const page = await visit('/tokens/new')
    await page.getByLabel('Name', { exact: true }).fill('nightly-export')
    await page.getByLabel('Tags').fill('prod reports')
    await expireForms(page)
    await page.getByRole('button', { name: 'Create Token' }).click()
    await seeText(page, '.flash-error', EXPIRED)
    assert.match(page.url(), /\/tokens\/new$/)
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'nightly-export')
    assert.equal(await page.getByLabel('Tags').inputValue(), 'prod reports')
  })

  test('an edited Token comes back with the edit, not the saved values', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'before' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}/edit`)
    await page.getByLabel('Name', { exact: true }).fill('after')
    await expireForms(page)
    await page.getByRole('button', { name: 'Save' }).click()
    await seeText(page, '.flash-error', EXPIRED)
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'after')
    await token.refresh()
    assert.equal(token.name, 'before')
  })

  test('a new Channel and a new User keep what was typed, passwords aside', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const admin = await makeUser({ isAdmin: true })
    await browserContext.loginAs(admin)
    const page = await visit('/channels/new')
    await page.getByLabel('Name', { exact: true }).fill('Team hook')
    await page.getByLabel('URL').fill('https://hooks.example.com/x')
    await expireForms(page)
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '.flash-error', EXPIRED)
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Team hook')
    assert.equal(await page.getByLabel('URL').inputValue(), 'https://hooks.example.com/x')

    await page.goto('/users')
    await page.getByLabel('Email').fill('new@example.com')
    await page.getByLabel('Password').fill('long-enough-1')
    await expireForms(page)
    await page.getByRole('button', { name: 'Create User' }).click()
    await seeText(page, '.flash-error', EXPIRED)
    assert.equal(await page.getByLabel('Email').inputValue(), 'new@example.com')
    assert.equal(await page.getByLabel('Password').inputValue(), '')
  })
})
