import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import User from '#models/user'
import { makeUser } from '#tests/helpers/factories'

async function freePort() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A real web role (bin/server.ts) with TRUSTED_PROXIES, as behind the host target's proxy. */
async function startWeb(trustedProxies: string) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: app.makePath(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DB_DATABASE: env.get('DB_DATABASE'),
      REDIS_DB: String(env.get('REDIS_DB', 0)),
      TRUSTED_PROXIES: trustedProxies,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (
    !(await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error(`the web did not come up:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return { url, stop: () => child.kill('SIGKILL') }
}

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
    const web = await startWeb('127.0.0.1')
    cleanup(() => {
      web.stop()
    })
    const signIn = await signInForm(web.url)
    for (let i = 0; i < 10; i++) {
      const forged = `198.51.100.${i}, 203.0.113.1`
      assert.equal(await signIn(user.email, `wrong-${i}`, forged), '/login')
    }
    assert.equal(await signIn(user.email, 'right-password', '198.51.100.99, 203.0.113.1'), '/login')
    assert.equal(await signIn(user.email, 'right-password', '203.0.113.2'), '/dashboard')
  }).timeout(90_000)
})
