import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { seeText } from '#tests/helpers/browser'

test.group('Admin UI: sign in, sign out, password', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('signs in and sees the Token on the dashboard', async ({ visit }) => {
    const user = await makeUser({ email: 'ops@example.com', password: 'correct-horse' })
    await makeToken(user, { name: 'Demo', slug: 'demo' })

    const page = await visit('/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill('correct-horse')
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.assertPath('/dashboard')
    await seeText(page, 'table.tokens', 'Demo')
    await seeText(page, 'table.tokens', '/ping/')
  })

  test('a wrong password keeps the person on the sign-in page with a message', async ({
    visit,
  }) => {
    await makeUser({ email: 'ops2@example.com', password: 'correct-horse' })
    const page = await visit('/login')
    await page.getByLabel('Email').fill('ops2@example.com')
    await page.getByLabel('Password').fill('wrong-horse')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.assertPath('/login')
    await seeText(page, '[role=alert]', 'Wrong email or password')
    await page.assertInputValue('#email', 'ops2@example.com')
  })

  test('sends a signed-out visitor to the sign-in page and back after signing in', async ({
    visit,
  }) => {
    const user = await makeUser({ password: 'correct-horse' })
    const token = await makeToken(user, { name: 'Deep link' })
    const page = await visit(`/tokens/${token.uuid}`)
    await page.waitForURL('**/login')
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('correct-horse')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await seeText(page, 'h1', 'Deep link')
  })

  test('signs out', async ({ visit, browserContext }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/dashboard')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await seeText(page, '[role=status]', 'Signed out')
    await page.goto('/dashboard')
    await page.waitForURL('**/login')
  })

  test('changes the password after checking the current one', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser({ password: 'old-password-1' })
    await browserContext.loginAs(user)
    const page = await visit('/account')
    await page.getByLabel('Current password').fill('not-my-password')
    await page.getByLabel('New password', { exact: true }).fill('new-password-2')
    await page.getByLabel('New password again').fill('new-password-2')
    await page.getByRole('button', { name: 'Change password' }).click()
    await seeText(page, '#current_password-error', 'The current password is wrong')

    await page.getByLabel('Current password').fill('old-password-1')
    await page.getByLabel('New password', { exact: true }).fill('new-password-2')
    await page.getByLabel('New password again').fill('does-not-match')
    await page.getByRole('button', { name: 'Change password' }).click()
    await seeText(page, '#password_confirmation-error', 'The two new passwords differ')

    await page.getByLabel('Current password').fill('old-password-1')
    await page.getByLabel('New password', { exact: true }).fill('new-password-2')
    await page.getByLabel('New password again').fill('new-password-2')
    await page.getByRole('button', { name: 'Change password' }).click()
    await seeText(page, '[role=status]', 'Password changed')
    await user.refresh()
    assert.isTrue(await user.verifyPassword('new-password-2'))
  })
})
