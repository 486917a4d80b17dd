import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

/** A Content-Security-Policy header as directive → its sources. */
function directivesOf(header: string | undefined) {
  const directives = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) {
      directives.set(name, sources)
    }
  }
  return directives
}

/** What every response's policy must say, whoever answers it. */
const REQUIRED = {
  'default-src': [`'self'`],
  'object-src': [`'none'`],
  'base-uri': [`'self'`],
  'frame-ancestors': [`'none'`],
  'form-action': [`'self'`],
}

test.group('Security headers', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('an admin page allows only its own scripts and styles, with a fresh nonce', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const nonces = []
    for (const path of ['/dashboard', '/dashboard']) {
      const response = await client.get(path).loginAs(user)
      response.assertStatus(200)
      response.assertHeader('referrer-policy', 'same-origin')
      const directives = directivesOf(response.header('content-security-policy'))
      assert.containSubset(Object.fromEntries(directives), REQUIRED)
      const scripts = directives.get('script-src') ?? []
      assert.equal(scripts[0], `'self'`)
      assert.match(scripts[1], /^'nonce-[\w-]{16,}'$/)
      assert.lengthOf(scripts, 2)
      assert.deepEqual(directives.get('style-src'), [`'self'`, scripts[1]])
      nonces.push(scripts[1])
    }
    assert.notEqual(nonces[0], nonces[1])
  })

  test('the sign-in page, files, the API and an unknown path carry them too', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const answers = {
      '/login': 200,
      '/docs/api': 200,
      '/no-such-page': 404,
      '/app.css': 200,
      '/vendor/alpine.js': 200,
      '/api/v1/tokens': 200,
      '/api/v1/channels/0': 404,
      '/api/v1/openapi.json': 200,
      '/health/live': 200,
    }
    for (const [path, status] of Object.entries(answers)) {
      const response = await client.get(path).bearerToken(key)
      assert.equal(response.status(), status, path)
      assert.equal(response.header('referrer-policy'), 'same-origin', path)
      const policy = response.header('content-security-policy')
      assert.containSubset(Object.fromEntries(directivesOf(policy)), REQUIRED, path)
      assert.notMatch(policy ?? '', /unsafe-(eval|inline)/, path)
    }
  })
})
