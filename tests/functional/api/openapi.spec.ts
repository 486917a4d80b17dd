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

/** HTML text as a reader sees it: character references decoded */
function decode(html: string) {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

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

test.group('API v1 OpenAPI document', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

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

  test('the API reference page renders Markdown, nullable types, limits and examples', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/docs/api')
    response.assertStatus(200)
    const html = response.text()
    const text = html.replace(/<(pre|code)[^>]*>[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, '')
    assert.notInclude(text, '`', 'a Markdown backtick is left in the text')
    assert.notInclude(html, 'one of several')
    assert.include(html, '<code>Authorization: Bearer &lt;key&gt;</code>')
    assert.match(html, /<td>string \(date-time\) or null<\/td>/)
    assert.match(html, /<td>integer or null<\/td>/)
    // Limits: per field, and the API's own
    assert.include(html, '1 to 100 characters')
    assert.include(html, '60 to 31536000')
    assert.include(html, 'at most 20 items')
    assert.include(html, 'requests a minute per API key')
    // One example request and answer per operation, with the key as a bearer token
    const operations = html.match(/<section class="card operation"/g) ?? []
    assert.isAbove(operations.length, 10)
    assert.lengthOf(html.match(/<pre class="example example-request">/g) ?? [], operations.length)
    assert.lengthOf(html.match(/<pre class="example example-answer">/g) ?? [], operations.length)
    const examples = decode(html)
    assert.include(examples, `-H "Authorization: Bearer $NGIP_API_KEY"`)
    assert.include(examples, `--data '{"name":"db-backup"`)
    assert.include(
      examples,
      'HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\n  "data": {'
    )
    assert.include(examples, 'HTTP/1.1 204 Done')
  })

  test('the reference page is linked from the navigation', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await client.get('/dashboard').loginAs(user)
    response.assertStatus(200)
    assert.include(response.text(), 'href="/docs/api"')
    const reference = await client.get('/docs/api').loginAs(user)
    assert.match(reference.text(), /<a href="\/docs\/api" aria-current=page>API reference<\/a>/)
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
