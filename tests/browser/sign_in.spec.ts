import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('Admin UI: sign in', (group) => {
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
    await page.assertTextContains('table.tokens', 'Demo')
    await page.assertTextContains('table.tokens', '/ping/')
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
    await page.assertTextContains('[role=alert]', 'Wrong email or password')
  })
})
