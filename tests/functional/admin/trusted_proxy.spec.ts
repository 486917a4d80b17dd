import { test } from '@japa/runner'
import User from '#models/user'
import { makeUser } from '#tests/helpers/factories'
import { startWebProcess } from '#tests/helpers/web_process'

/** A browser's sign-in form: the session cookie and CSRF token of GET /login. */
async function signInForm(url: string) {
  const page = await fetch(`${url}/login`)
  const cookies = page.headers.getSetCookie().map((cookie) => cookie.split(';')[0])
  const csrf = /name='_csrf' value='([^']+)'/.exec(await page.text())![1]
  return async (email: string, password: string, forwardedFor: string) => {
    const answer = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'cookie': cookies.join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': forwardedFor,
      },
      body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
    })
    return answer.headers.get('location')
  }
}

test.group('Admin UI: sign-in behind a trusted proxy', () => {
  test('each client is throttled on its own address, and a forged hop before it changes nothing', async ({
    assert,
    cleanup,
  }) => {
    // Committed, so the web process sees it; removed afterwards.
    const user = await makeUser({ password: 'right-password' })
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
    })
    const web = await startWebProcess({ TRUSTED_PROXIES: '127.0.0.1' })
    cleanup(() => web.close())
    const signIn = await signInForm(web.url)
    for (let i = 0; i < 10; i++) {
      const forged = `198.51.100.${i}, 203.0.113.1`
      assert.equal(await signIn(user.email, `wrong-${i}`, forged), '/login')
    }
    assert.equal(await signIn(user.email, 'right-password', '198.51.100.99, 203.0.113.1'), '/login')
    assert.equal(await signIn(user.email, 'right-password', '203.0.113.2'), '/dashboard')
  }).timeout(90_000)
})
