import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import env from '#start/env'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { queuedPings } from '#tests/helpers/ping'

/**
 * An API Gateway HTTP API (payload 2.0) event as AWS delivers it.
 */
function event(
  method: string,
  rawPath: string,
  options: { query?: string; body?: string; base64?: boolean; stage?: string } = {}
): APIGatewayProxyEventV2 {
  const stage = options.stage ?? '$default'
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: options.query ?? '',
    headers: {
      'accept': '*/*',
      'content-length': String(options.body?.length ?? 0),
      'host': 'abc123.execute-api.eu-central-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-65f0c0de-0123456789abcdef01234567',
      'x-forwarded-for': '198.51.100.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage,
      time: '29/Nov/2026:05:00:00 +0000',
      timeEpoch: 1_795_928_400_000,
    },
    body: options.body,
    isBase64Encoded: options.base64 ?? false,
  }
}

async function lambda() {
  // The handler reads its settings from the environment, as on AWS.
  process.env.REDIS_DB = String(env.get('REDIS_DB', 0))
  process.env.PING_BODY_LIMIT = '16'
  const { handler } = await import('#ping/lambda')
  return handler
}

test.group('Ping edge on AWS Lambda (API Gateway HTTP API, payload 2.0)', (group) => {
  // lambda() sets the handler's settings in this process's environment: put them back after,
  // or every process a later test starts inherits them (a 16-byte body limit, say).
  group.setup(() => {
    const saved = { REDIS_DB: process.env.REDIS_DB, PING_BODY_LIMIT: process.env.PING_BODY_LIMIT }
    return () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[name]
        } else {
          process.env[name] = value
        }
      }
    }
  })
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a ping by UUID is queued and answered like the server does', async ({ assert }) => {
    const handler = await lambda()
    const token = await makeToken(await makeUser())
    const result = await handler(event('GET', `/ping/${token.uuid}/start`))
    assert.containSubset(result, { statusCode: 200, body: 'OK' })
    assert.equal(result.headers!['access-control-allow-origin'], '*')
    assert.equal(result.headers!['ping-body-limit'], '16')
    const [ping] = await queuedPings()
    assert.containSubset(ping, {
      token: token.uuid,
      action: 'start',
      remoteAddr: '198.51.100.7',
      userAgent: 'curl/8.5.0',
    })
  })

  test("the source is API Gateway's, whatever X-Forwarded-For the client sends", async ({
    assert,
  }) => {
    const handler = await lambda()
    const token = await makeToken(await makeUser())
    const forged = event('GET', `/ping/${token.uuid}`)
    // API Gateway appends the address it saw; the client may put anything before it.
    forged.headers['x-forwarded-for'] = '203.0.113.66, 198.51.100.7'
    await handler(forged)
    const [ping] = await queuedPings()
    assert.equal(ping.remoteAddr, '198.51.100.7')
  })

  test('a base64 body is decoded and cut at the limit; a named stage is ignored', async ({
    assert,
  }) => {
    const handler = await lambda()
    const token = await makeToken(await makeUser())
    const body = Buffer.from('exit status 3, output follows').toString('base64')
    const result = await handler(
      event('POST', `/prod/ping/${token.uuid}/3`, { body, base64: true, stage: 'prod' })
    )
    assert.equal(result.statusCode, 200)
    const [ping] = await queuedPings()
    assert.containSubset(ping, { action: 'fail', exitStatus: 3 })
    assert.equal(ping.body!.toString(), 'exit status 3, o')
  })

  test('the slug form, errors and HEAD answer as on the server', async ({ assert }) => {
    const handler = await lambda()
    const user = await makeUser()
    const created = await handler(event('GET', `/ping/${user.pingKey}/etl`, { query: 'create=1' }))
    assert.containSubset(created, { statusCode: 201, body: 'Created' })
    const head = await handler(event('HEAD', `/ping/${user.pingKey}/etl`))
    assert.containSubset(head, { statusCode: 200, body: '' })
    const bad = await handler(event('GET', `/ping/${user.pingKey}/etl`, { query: 'rid=nope' }))
    assert.containSubset(bad, { statusCode: 400, body: 'invalid uuid format' })
    const noRid = await handler(event('GET', `/ping/${user.pingKey}/etl/start`, { query: 'rid=' }))
    assert.containSubset(noRid, { statusCode: 200, body: 'OK' })
    for (const exit of ['256', '9999999999', '99999999999999']) {
      const tooBig = await handler(event('GET', `/ping/${user.pingKey}/etl/${exit}`))
      assert.containSubset(tooBig, { statusCode: 400, body: 'invalid url format' }, exit)
    }
    const unknown = await handler(event('GET', '/ping/2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'))
    assert.containSubset(unknown, { statusCode: 404, body: 'not found' })
    const put = await handler(event('PUT', `/ping/${user.pingKey}/etl`))
    assert.equal(put.statusCode, 405)
    const pings = await queuedPings()
    assert.deepEqual(
      pings.map((ping) => [ping.action, ping.rid]),
      [
        ['success', null],
        ['success', null],
        ['start', null],
      ]
    )
  })

  test("Uptime Kuma's push form answers JSON as Kuma does and keeps `ping`", async ({ assert }) => {
    const handler = await lambda()
    const token = await makeToken(await makeUser())
    const pushed = await handler(
      event('GET', `/api/push/${token.uuid}`, { query: 'status=up&msg=OK&ping=250' })
    )
    assert.containSubset(pushed, { statusCode: 200, body: '{"ok":true}' })
    assert.include(pushed.headers!['content-type'] as string, 'application/json')
    const unknown = await handler(event('GET', '/api/push/2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'))
    assert.containSubset(unknown, {
      statusCode: 404,
      body: '{"ok":false,"msg":"Monitor not found or not active."}',
    })
    const [ping] = await queuedPings()
    assert.containSubset(ping, { action: 'success', durationMs: 250 })
  })
})
