import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type Token from '#models/token'
import type User from '#models/user'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { startEdge } from '#tests/helpers/edge'
import { queuedPings, send } from '#tests/helpers/ping'

const RID = '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const UNKNOWN = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'
/** Uptime Kuma's own answer for a push it cannot take */
const KUMA_404 = '{"ok":false,"msg":"Monitor not found or not active."}'

interface Context {
  user: User
  token: Token
}

/**
 * SPEC §3's answer table: [method, path (:uuid, :key), status, text, what is queued].
 */
const answers: [string, string, number, string, null | { action: string; exit?: number }][] = [
  ['GET', '/ping/:uuid', 200, 'OK', { action: 'success' }],
  ['POST', '/ping/:uuid', 200, 'OK', { action: 'success' }],
  ['HEAD', '/ping/:uuid', 200, '', { action: 'success' }],
  ['GET', '/:uuid', 200, 'OK', { action: 'success' }],
  ['GET', '/ping/:uuid/start', 200, 'OK', { action: 'start' }],
  ['GET', '/:uuid/fail', 200, 'OK', { action: 'fail' }],
  ['GET', '/ping/:uuid/log', 200, 'OK', { action: 'log' }],
  ['GET', '/ping/:uuid/0', 200, 'OK', { action: 'success', exit: 0 }],
  ['GET', '/ping/:uuid/42', 200, 'OK', { action: 'fail', exit: 42 }],
  ['GET', `/ping/:uuid/start?rid=${RID}`, 200, 'OK', { action: 'start' }],
  ['GET', '/ping/:key/backup', 200, 'OK', { action: 'success' }],
  ['POST', '/ping/:key/backup/fail', 200, 'OK', { action: 'fail' }],
  ['GET', '/:key/backup/start', 200, 'OK', { action: 'start' }],
  ['GET', '/api/push/:uuid?status=up&msg=OK&ping=', 200, '{"ok":true}', { action: 'success' }],
  ['GET', '/api/push/:uuid?status=down&msg=boom', 200, '{"ok":true}', { action: 'fail' }],
  ['POST', '/api/push/:uuid?status=up&ping=12', 200, '{"ok":true}', { action: 'success' }],
  ['GET', `/api/push/${UNKNOWN}?status=up`, 404, KUMA_404, null],
  ['GET', '/api/push/not-a-uuid', 404, KUMA_404, null],
  ['GET', '/ping/:uuid/256', 400, 'invalid url format', null],
  ['GET', '/ping/:uuid/9999999999', 400, 'invalid url format', null],
  ['GET', '/ping/:uuid/99999999999999', 400, 'invalid url format', null],
  ['GET', '/ping/:key/backup/99999999999999', 400, 'invalid url format', null],
  ['GET', '/ping/:uuid/start?rid=', 200, 'OK', { action: 'start' }],
  ['GET', '/ping/:key/Backup', 400, 'invalid url format', null],
  ['GET', '/ping/:uuid?rid=not-a-uuid', 400, 'invalid uuid format', null],
  ['GET', `/ping/${UNKNOWN}`, 404, 'not found', null],
  ['GET', '/ping/:key/nothing-here', 404, 'not found', null],
  ['GET', '/ping/not-a-key!/backup?create=1', 404, 'not found', null],
  ['GET', '/ping/:uuid/explode', 404, 'not found', null],
  ['GET', '/robots.txt', 404, 'not found', null],
  ['PUT', '/ping/:uuid', 405, 'method not allowed', null],
  ['DELETE', '/ping/:uuid', 405, 'method not allowed', null],
  ['PATCH', '/ping/:uuid', 405, 'method not allowed', null],
  ['OPTIONS', '/ping/:uuid', 204, '', null],
]

test.group('Ping edge: the answer table of SPEC §3', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  async function setup(): Promise<Context> {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Backup', slug: 'backup' })
    return { user, token }
  }

  test('{0} {1} → {2} {3}')
    .with(answers)
    .run(async ({ assert }, [method, path, status, text, queued]) => {
      const { user, token } = await setup()
      const edge = await startEdge(1234)
      try {
        const url = path.replace(':uuid', token.uuid).replace(':key', user.pingKey)
        const response = await send(edge.url, url, {
          method,
          body: method === 'POST' ? 'hi' : undefined,
        })
        assert.equal(response.status, status)
        assert.equal(response.text, text)
        assert.equal(response.headers.get('access-control-allow-origin'), '*')
        assert.equal(response.headers.get('ping-body-limit'), '1234')
        assert.include(response.headers.get('cache-control')!, 'no-cache')
        assert.include(
          response.headers.get('content-type')!,
          path.startsWith('/api/push/') ? 'application/json' : 'text/plain'
        )
        const pings = await queuedPings()
        assert.lengthOf(pings, queued ? 1 : 0)
        if (queued) {
          assert.containSubset(pings[0], { token: token.uuid, action: queued.action, method })
          assert.equal(pings[0].exitStatus, queued.exit ?? null)
          assert.equal(pings[0].rid, path.includes(`rid=${RID}`) ? RID : null)
        }
      } finally {
        await edge.close()
      }
    })

  test('a preflight request names the methods and a 405 says which are allowed', async ({
    assert,
  }) => {
    const edge = await startEdge()
    try {
      const preflight = await send(edge.url, `/ping/${UNKNOWN}`, { method: 'OPTIONS' })
      assert.equal(
        preflight.headers.get('access-control-allow-methods'),
        'GET, HEAD, POST, OPTIONS'
      )
      const refused = await send(edge.url, `/ping/${UNKNOWN}`, { method: 'PUT' })
      assert.equal(refused.headers.get('allow'), 'GET, HEAD, POST, OPTIONS')
    } finally {
      await edge.close()
    }
  })

  test('a POST body is kept up to the limit and cut beyond it, never refused', async ({
    assert,
  }) => {
    const { token } = await setup()
    const edge = await startEdge(100)
    try {
      const body = 'x'.repeat(50) + 'y'.repeat(100_000)
      const response = await send(edge.url, `/ping/${token.uuid}/fail`, { method: 'POST', body })
      assert.equal(response.status, 200)
      const [ping] = await queuedPings()
      assert.equal(ping.body!.toString(), body.slice(0, 100))
    } finally {
      await edge.close()
    }
  })

  test('the run id, source address and user agent travel with the ping', async ({ assert }) => {
    const { token } = await setup()
    const edge = await startEdge()
    try {
      await send(edge.url, `/ping/${token.uuid}/start?rid=${RID.toUpperCase()}`, {
        headers: { 'user-agent': 'runitor/1.2' },
      })
      const [ping] = await queuedPings()
      assert.containSubset(ping, { rid: RID, userAgent: 'runitor/1.2', remoteAddr: '127.0.0.1' })
    } finally {
      await edge.close()
    }
  })

  test('X-Forwarded-For names the source only through trusted proxies', async ({ assert }) => {
    const { token } = await setup()
    const forwarded = { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }
    const sources: Record<string, string> = {
      '': '127.0.0.1',
      '127.0.0.1': '10.0.0.1',
      '127.0.0.0/8, 10.0.0.0/8': '203.0.113.9',
      '192.0.2.0/24': '127.0.0.1',
    }
    for (const [trustedProxies, source] of Object.entries(sources)) {
      const before = await queuedPings()
      const edge = await startEdge(10_000, { trustedProxies })
      try {
        await send(edge.url, `/ping/${token.uuid}`, { headers: forwarded })
        await send(edge.url, `/ping/${token.uuid}`, { headers: { 'x-forwarded-for': 'junk' } })
        const all = await queuedPings()
        const pings = all.slice(before.length)
        assert.deepEqual(
          pings.map((ping) => ping.remoteAddr),
          [source, '127.0.0.1'],
          `TRUSTED_PROXIES="${trustedProxies}"`
        )
      } finally {
        await edge.close()
      }
    }
  })

  test('Uptime Kuma push keeps its message as the body', async ({ assert }) => {
    const { token } = await setup()
    const edge = await startEdge()
    try {
      await send(edge.url, `/api/push/${token.uuid}?status=down&msg=disk%20full`)
      const [ping] = await queuedPings()
      assert.equal(ping.body!.toString(), 'disk full')
    } finally {
      await edge.close()
    }
  })

  test('the edge answers its liveness check', async ({ assert }) => {
    const edge = await startEdge()
    try {
      const response = await send(edge.url, '/health')
      assert.equal(response.status, 200)
      assert.equal(response.text, 'OK')
    } finally {
      await edge.close()
    }
  })
})
