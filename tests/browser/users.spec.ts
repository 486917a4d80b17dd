import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import User from '#models/user'
import Token from '#models/token'
import { redisKeys } from '#lib/redis_keys'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { dontSeeText, seeText } from '#tests/helpers/browser'

test.group('Admin UI: Users', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('an admin creates a User who can then sign in', async ({ visit, browserContext }) => {
    await browserContext.loginAs(await makeUser({ isAdmin: true }))
    const page = await visit('/users')
    await page.getByLabel('Email').fill('new.person@example.com')
    await page.getByLabel('Password').fill('long-enough-password')
    await page.getByRole('button', { name: 'Create User' }).click()
    await seeText(page, '[role=status]', 'User new.person@example.com created')
    await seeText(page, 'tr[data-user="new.person@example.com"]', 'active')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').fill('new.person@example.com')
    await page.getByLabel('Password').fill('long-enough-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/dashboard')
  })

  test('shows why a User cannot be created', async ({ visit, browserContext }) => {
    const taken = await makeUser()
    await browserContext.loginAs(await makeUser({ isAdmin: true }))
    const page = await visit('/users')
    await page.getByLabel('Email').fill(taken.email)
    await page.getByLabel('Password').fill('long-enough-password')
    await page.getByRole('button', { name: 'Create User' }).click()
    await seeText(page, '#email-error', 'A User with this email exists already')
  })

  test('makes a User an admin, and disables one', async ({
    visit,
    browserContext,
    client,
    assert,
  }) => {
    const other = await makeUser({ email: 'other@example.com', password: 'other-password' })
    const key = await makeApiKey(other)
    const before = await client.get('/api/v1/tokens').bearerToken(key)
    before.assertStatus(200)
    await browserContext.loginAs(await makeUser({ isAdmin: true }))
    const page = await visit('/users')
    await page.getByRole('button', { name: 'Make admin other@example.com' }).click()
    await seeText(page, '[role=status]', 'other@example.com is now an admin')
    await page.getByRole('button', { name: 'Disable other@example.com' }).click()
    await seeText(page, '[role=status]', 'other@example.com is disabled')
    await seeText(page, 'tr[data-user="other@example.com"]', 'disabled')
    await other.refresh()
    assert.isTrue(other.isAdmin)
    assert.isTrue(other.isDisabled)

    const api = await client.get('/api/v1/tokens').bearerToken(key)
    api.assertStatus(401)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').fill('other@example.com')
    await page.getByLabel('Password').fill('other-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await seeText(page, '[role=alert]', 'This User is disabled')
  })

  test('deletes a User with all they own; their pings are refused from then on', async ({
    visit,
    browserContext,
    client,
    assert,
  }) => {
    const other = await makeUser({ email: 'leaver@example.com' })
    const token = await makeToken(other)
    const key = await makeApiKey(other)
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 1)
    await browserContext.loginAs(await makeUser({ isAdmin: true }))
    const page = await visit('/users')
    await page.getByRole('button', { name: 'Delete leaver@example.com' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete User' }).click()
    await seeText(page, '[role=status]', 'leaver@example.com is deleted')
    await dontSeeText(page, 'table.users', 'leaver@example.com')

    assert.isNull(await User.find(other.id))
    assert.isNull(await Token.find(token.id))
    assert.equal(await redis.sismember(redisKeys.tokens, token.uuid), 0)
    assert.equal(await redis.sismember(redisKeys.pingKeys, other.pingKey), 0)
    const api = await client.get('/api/v1/tokens').bearerToken(key)
    api.assertStatus(401)
  })

  test('a disabled User who is signed in is sent to the sign-in page', async ({
    visit,
    browserContext,
  }) => {
    const user = await makeUser()
    await browserContext.loginAs(user)
    await User.query().where('id', user.id).update({ is_disabled: true })
    const page = await visit('/dashboard')
    await page.waitForURL('**/login')
  })

  test('the Users page does not exist for a non-admin', async ({ visit, browserContext }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/dashboard')
    await dontSeeText(page, 'nav', 'Users')
    const users = await visit('/users')
    await seeText(users, 'h1', 'Not found')
  })
})
