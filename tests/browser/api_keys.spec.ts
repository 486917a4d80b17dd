import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import { makeApiKey, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, dontSeeText, readClipboard, seeText } from '#tests/helpers/browser'

test.group('Admin UI: API keys', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('creates a key, shows it once with a copy button, and the key works', async ({
    visit,
    browserContext,
    client,
    assert,
  }) => {
    const user = await makeUser()
    await browserContext.grantPermissions(['clipboard-read', 'clipboard-write'])
    await browserContext.loginAs(user)
    const page = await visit('/api-keys')
    await page.getByLabel('Name').fill('backup script')
    await page.getByLabel('Access').selectOption('read-only')
    await page.getByRole('button', { name: 'Create API key' }).click()

    await seeText(page, '[role=status]', 'shown only once')
    const key = (await page.locator('#new-api-key').textContent())!.trim()
    assert.match(key, /^ngip_/)
    await alpineReady(page)
    await page.getByRole('button', { name: 'Copy the new API key' }).click()
    assert.equal(await readClipboard(page), key)

    const row = page.locator('tr', { hasText: 'backup script' })
    assert.include(await row.innerText(), 'read-only')
    assert.include(await row.innerText(), key.split('.')[0])
    await seeText(page, 'tr:has-text("backup script")', 'never')

    const response = await client.get('/api/v1/tokens').bearerToken(key)
    response.assertStatus(200)
    await page.reload()
    assert.equal(await page.locator('#new-api-key').count(), 0)
    await seeText(page, 'tr:has-text("backup script")', 'just now')
  })

  test('revokes a key after confirming', async ({ visit, browserContext, client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const before = await client.get('/api/v1/tokens').bearerToken(key)
    before.assertStatus(200)
    await browserContext.loginAs(user)
    const page = await visit('/api-keys')
    await alpineReady(page)
    await page.getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke API key' }).click()
    await seeText(page, '[role=status]', 'API key revoked')
    await dontSeeText(page, 'main', 'ngip_')
    assert.lengthOf(await User.apiKeys.all(user), 0)
    const response = await client.get('/api/v1/tokens').bearerToken(key)
    response.assertStatus(401)
  })

  test('lists only the person’s own keys', async ({ visit, browserContext }) => {
    await makeApiKey(await makeUser())
    await browserContext.loginAs(await makeUser({ isAdmin: true }))
    const page = await visit('/api-keys')
    await seeText(page, '.empty', 'No API keys yet')
  })
})
