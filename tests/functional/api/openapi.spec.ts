import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'

const run = promisify(execFile)

/**
 * Every /api/v1 route as "METHOD /path/{param}", the document itself aside.
 */
function apiRoutes(): string[] {
  const routes = Object.values(router.toJSON()).flat()
  return routes
    .filter(
      (route) => route.pattern.startsWith('/api/v1/') && route.pattern !== '/api/v1/openapi.json'
    )
    .flatMap((route) =>
      route.methods
        .filter((method) => method !== 'HEAD')
        .map(
          (method) =>
            `${method} ${route.pattern.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}')}`
        )
    )
    .sort()
}

test.group('API v1 OpenAPI document', () => {
  test('describes exactly the routes that exist', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    const documented = Object.entries(response.body().paths as Record<string, object>)
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
      )
      .sort()
    assert.deepEqual(documented, apiRoutes())
  })

  test('documents the answers each operation gives', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    const paths = response.body().paths
    const codes = (path: string, method: string) => Object.keys(paths[path][method].responses)
    assert.sameMembers(codes('/tokens', 'post'), [
      '200',
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
    ])
    assert.sameMembers(codes('/tokens', 'get'), ['200', '400', '401', '422', '429'])
    assert.sameMembers(codes('/tokens/{id}', 'get'), ['200', '400', '401', '404', '429'])
    assert.sameMembers(codes('/pings', 'post'), [
      '201',
      '400',
      '401',
      '403',
      '404',
      '413',
      '415',
      '422',
      '429',
    ])
    assert.property(paths['/tokens'].get.responses['429'].headers, 'Retry-After')
    const names = (path: string) =>
      paths[path].get.parameters.map((parameter: { name: string }) => parameter.name)
    assert.notInclude(names('/tokens/{id}/pings'), 'token')
    assert.include(names('/pings'), 'token')
    const token = response.body().components.schemas.TokenInput.properties
    assert.equal(token.timeout.default, 86400)
    assert.equal(token.tz.default, 'UTC')
  })

  test('documents the limits of a Channel config and of Ping times', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    const config = response.body().components.schemas.ChannelConfig.properties
    assert.equal(config.headers.maxProperties, 20)
    assert.equal(config.headers.propertyNames.maxLength, 64)
    assert.equal(config.headers.additionalProperties.maxLength, 1000)
    assert.include(config.headers.description, 'RFC 2047')
    assert.include(config.body.description, 'application/json')
    const since = response
      .body()
      .paths['/pings'].get.parameters.find(
        (parameter: { name: string }) => parameter.name === 'since'
      )
    assert.include(since.schema.description, 'from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z')
  })

  test('lints clean with @redocly/cli', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    const dir = await mkdtemp(join(tmpdir(), 'ngip-openapi-'))
    try {
      const file = join(dir, 'openapi.json')
      await writeFile(file, JSON.stringify(response.body()))
      const { stdout, stderr } = await run(
        app.makePath('node_modules/.bin/redocly'),
        ['lint', file, '--format', 'json'],
        { cwd: dir }
      )
      const report = JSON.parse(stdout || stderr)
      assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('the API reference page renders every operation from local files', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/docs/api')
    response.assertStatus(200)
    const html = response.text()
    for (const route of apiRoutes()) {
      assert.include(html, route.split(' ')[1], route)
    }
    assert.notMatch(html, /(src|href)="https?:\/\//)
  })
})

test.group('API v1 OpenAPI document: the answers it lists', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a NUL or broken encoding in a path id or a query answers a status listed', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const answer = await client.get('/api/v1/openapi.json')
    const document = answer.body()
    const base = `http://${process.env.HOST}:${process.env.PORT}/api/v1`
    const unlisted: string[] = []
    for (const [path, item] of Object.entries(document.paths as Record<string, any>)) {
      for (const [method, operation] of Object.entries(item as Record<string, any>)) {
        const query = (operation.parameters ?? []).filter((p: any) => p.in === 'query')
        const requests = [
          path.replace('{id}', '%00'),
          path.replace('{id}', '%ff'),
          ...query.map((p: any) => `${path.replace('{id}', token.uuid)}?${p.name}=%00`),
        ]
        for (const url of requests) {
          const response = await fetch(`${base}${url}`, {
            method: method.toUpperCase(),
            headers: { authorization: `Bearer ${key}` },
          })
          if (!(String(response.status) in operation.responses)) {
            unlisted.push(`${method.toUpperCase()} ${url} → ${response.status}`)
          }
        }
      }
    }
    assert.deepEqual(unlisted, [])
  })
})
