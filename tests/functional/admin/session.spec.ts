import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import testUtils from '@adonisjs/core/services/test_utils'
import SignInService from '#services/accounts/sign_in_service'
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

  test('a new X-Forwarded-For per guess changes nothing: the connection is the address', async ({
    client,
  }) => {
    const user = await makeUser({ password: 'right-password' })
    const attempt = (password: string, i: number) =>
      client
        .post('/login')
        .header('x-forwarded-for', `203.0.113.${i % 250}`)
        .form({ email: user.email, password })
        .withCsrfToken()
        .redirects(0)
    for (let i = 0; i < 50; i++) {
      await attempt(`wrong-${i}`, i)
    }
    const refused = await attempt('right-password', 50)
    refused.assertHeader('location', '/login')
    refused.assertFlashMessage('error', 'Too many failed sign-ins. Try again in 5 min.')
  })

  test('guesses spread over many addresses lock the account for 15 minutes', async ({ assert }) => {
    const user = await makeUser({ password: 'right-password' })
    for (let i = 0; i < 20; i++) {
      const failed = await SignInService.attempt(user.email, `wrong-${i}`, `198.51.100.${i}`)
      assert.equal(failed.ok ? 'signed in' : failed.error, 'wrong_credentials', `guess ${i}`)
    }
    const refused = await SignInService.attempt(user.email, 'right-password', '192.0.2.1')
    assert.containSubset(refused, { ok: false, error: 'throttled', throttle: 'account' })
    assert.closeTo((refused as { retryAfter: number }).retryAfter, 15 * 60, 5)
    const other = await makeUser({ password: 'right-password' })
    const unaffected = await SignInService.attempt(other.email, 'right-password', '198.51.100.1')
    assert.isTrue(unaffected.ok, 'another account signs in from the same addresses')
  })

  test('the account lock says so and ends: then the real user signs in', async ({
    client,
    assert,
  }) => {
    const saved = config.get('ngip.signIn.account')
    // The same limiter with a 2-second window, so the test can outwait the block.
    config.set('ngip.signIn.account', { requests: 3, duration: '2 s', blockDuration: '2 s' })
    try {
      const user = await makeUser({ password: 'right-password' })
      for (let i = 0; i < 3; i++) {
        await SignInService.attempt(user.email, 'wrong', `198.51.100.${i}`)
      }
      const attempt = () =>
        client
          .post('/login')
          .form({ email: user.email, password: 'right-password' })
          .withCsrfToken()
          .redirects(0)
      const refused = await attempt()
      refused.assertFlashMessage(
        'error',
        'Too many failed sign-ins for this account. Try again in 1 min.'
      )
      await new Promise((resolve) => setTimeout(resolve, 2100))
      const signedIn = await attempt()
      assert.equal(signedIn.header('location'), '/dashboard')
    } finally {
      config.set('ngip.signIn.account', saved)
    }
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
