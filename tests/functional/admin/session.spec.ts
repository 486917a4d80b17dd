import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('Admin UI: sign-in limits and CSRF', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('after 10 failed sign-ins even the right password is refused for a while', async ({
    client,
    assert,
  }) => {
    const user = await makeUser({ password: 'right-password' })
    for (let i = 0; i < 10; i++) {
      const failed = await client
        .post('/login')
        .form({ email: user.email, password: `wrong-${i}` })
        .withCsrfToken()
        .redirects(0)
      failed.assertStatus(302)
      assert.equal(failed.header('location'), '/login')
    }
    const refused = await client
      .post('/login')
      .form({ email: user.email, password: 'right-password' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(refused.header('location'), '/login')
    refused.assertFlashMessage('error', 'Too many failed sign-ins. Try again in 5 min.')
  })

  test('a successful sign-in clears the count of failures', async ({ client }) => {
    const user = await makeUser({ password: 'right-password' })
    const attempt = (password: string) =>
      client.post('/login').form({ email: user.email, password }).withCsrfToken().redirects(0)
    for (let i = 0; i < 9; i++) {
      await attempt('wrong')
    }
    const signedIn = await attempt('right-password')
    signedIn.assertHeader('location', '/dashboard')
    for (let i = 0; i < 9; i++) {
      await attempt('wrong')
    }
    const again = await attempt('right-password')
    again.assertHeader('location', '/dashboard')
  })

  test('a form posted without its CSRF token changes nothing', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'keep me' })
    const response = await client.delete(`/tokens/${token.uuid}`).loginAs(user).redirects(0)
    assert.notEqual(response.status(), 200)
    await token.refresh()
    assert.equal(token.name, 'keep me')
    assert.isFalse(token.$isDeleted)
  })
})
