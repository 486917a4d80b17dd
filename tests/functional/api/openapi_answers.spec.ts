import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeUser } from '#tests/helpers/factories'
import { EXAMPLE_UUID } from '#services/api_docs/schema_text'
import { checkedAnswers, openApiChecker, type OpenApiDocument } from '#tests/helpers/openapi_check'

/**
 * The check of every API answer against the document (tests/bootstrap.ts)
 * sees every route: each operation is called here with the document's own
 * example, so a route's answer that the document does not describe fails
 * even when no other spec calls that route.
 */
interface Operation {
  requestBody?: { content: { 'application/json': { schema: { $ref: string } } } }
  responses: Record<string, unknown>
}

/**
 * Collection creates first (they make what the others name), deletes last,
 * the Token's last of all (its Pings go with it).
 */
function rank(path: string, method: string) {
  if (method === 'delete') {
    return path.startsWith('/tokens') ? 3 : 2
  }
  return method === 'post' && !path.includes('{') ? 0 : 1
}

/** Each EXAMPLE_UUID in a document example replaced by a real Token's id */
function withToken(value: unknown, token: string): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll(EXAMPLE_UUID, token))
}

test.group('API v1 OpenAPI document: every route answers as documented', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each operation, called with its documented example, gives a documented answer', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const writer = await makeApiKey(user)
    const reader = await makeApiKey(user, 'read-only')
    const served = await client.get('/api/v1/openapi.json')
    const document = served.body()
    const schemas = document.components.schemas
    const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>)
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ path, method, operation }))
      )
      .sort((a, b) => rank(a.path, a.method) - rank(b.path, b.method))
    const ids: Record<string, string> = {}
    checkedAnswers.clear()
    for (const { path, method, operation } of operations) {
      const collection = path.split('/')[1]
      const url = `/api/v1${path.replace('{id}', () => ids[collection])}`
      const ref = operation.requestBody?.content['application/json'].schema.$ref
      const example = ref ? schemas[ref.split('/').pop()!].example : undefined
      const request = client[method as 'post'](url).bearerToken(writer)
      const response = await (example
        ? request.json(withToken(example, ids.tokens) as object)
        : request)
      assert.isBelow(response.status(), 300, `${method} ${url}: ${response.text()}`)
      assert.isTrue(
        checkedAnswers.has(`${method.toUpperCase()} ${path} ${response.status()}`),
        `${method} ${path} was not checked against the document`
      )
      if (!path.includes('{') && method === 'post') {
        ids[collection] = String(response.body().data.id)
      }
      // What a read-only key sees (Channels without credentials) is checked too
      if (method === 'get') {
        const read = await client.get(url).bearerToken(reader)
        assert.equal(read.status(), 200)
      }
    }
    assert.lengthOf(Object.keys(ids), 3)
  })

  test('the check refuses an answer the document does not describe', async ({ client, assert }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const served = await client.get('/api/v1/openapi.json')
    const document = served.body() as OpenApiDocument
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'db' })
    const token = created.body().data
    const check = openApiChecker(document)
    const answer =
      (status: number, body: unknown, path = `/tokens/${token.id}`) =>
      () =>
        check({ method: 'GET', path, status, body, text: JSON.stringify(body) })

    answer(200, { data: token })()
    assert.throws(answer(200, { data: { ...token, secret: 1 } }), /\(secret\)/)
    const { n_pings: nPings, ...withoutCount } = token
    assert.isNumber(nPings)
    assert.throws(answer(200, { data: withoutCount }), /\(n_pings\)/)
    assert.throws(answer(200, { data: { ...token, timeout: '1 day' } }), /timeout must be integer/)
    assert.throws(answer(200, { data: { ...token, status: 'sleeping' } }), /status/)
    assert.throws(answer(418, { data: token }), /lists no 418/)
    assert.throws(answer(200, {}, '/tokens/x/history'), /no such operation/)
    assert.throws(
      () =>
        check({ method: 'DELETE', path: `/tokens/${token.id}`, status: 204, body: '', text: 'x' }),
      /a body where the document promises none/
    )
  })
})
