import { test } from '@japa/runner'
import vine from '@vinejs/vine'
import { queryParameters, requestSchema, withDefaults } from '#services/api_docs/request_schema'
import { time, unionMeta, uuid } from '#validators/rules'

/**
 * The request schemas of the API document say what the validators take,
 * where VineJS 4.4's `toJSONSchema()` says otherwise.
 */
const tags = () =>
  vine.union([
    vine.union.if((value) => typeof value === 'string', vine.string().maxLength(500)),
    vine.union.else(vine.array(vine.string().maxLength(50)).maxLength(20)),
  ])

test.group('Request schemas from VineJS validators', () => {
  test('an optional union is neither required nor open to anything', ({ assert }) => {
    const schema = requestSchema(
      vine.create({ name: vine.string(), tags: unionMeta(tags().optional(), { example: ['a'] }) })
    )
    assert.deepEqual(schema.required, ['name'])
    assert.deepEqual(schema.properties.tags, {
      anyOf: [
        { type: 'string', maxLength: 500 },
        { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 20 },
      ],
      example: ['a'],
    })
  })

  test('a union keeps what the document says of it through vine.object', ({ assert }) => {
    const field = unionMeta(tags().optional(), { description: 'Tags' })
    const schema = requestSchema(vine.create(vine.object({ tags: field })))
    assert.equal(schema.properties.tags.description, 'Tags')
  })

  test('a boolean is a JSON boolean, an enum a string, a URL no RFC 3986 URI, unknown fields kept', ({
    assert,
  }) => {
    const schema = requestSchema(
      vine.create({
        paused: vine.boolean().optional(),
        kind: vine.enum(['a', 'b'] as const),
        url: vine.string().url(),
      })
    )
    assert.deepEqual(schema.properties.paused, { type: 'boolean' })
    assert.deepEqual(schema.properties.kind, { type: 'string', enum: ['a', 'b'] })
    assert.deepEqual(schema.properties.url, { type: 'string' })
    assert.notProperty(schema, 'additionalProperties')
  })

  test('our rules print their own part: times and UUIDs in any case', ({ assert }) => {
    const query = queryParameters(
      vine.create({ since: time().optional(), token: uuid(), cursor: vine.string().optional() }),
      ['cursor']
    )
    assert.deepEqual(query, {
      since: { type: 'string', format: 'date-time' },
      token: { type: 'string', format: 'uuid' },
    })
  })

  test('defaults go to the fields named, and only to fields that exist', ({ assert }) => {
    const schema = requestSchema(vine.create({ grace: vine.number().optional() }))
    assert.equal(withDefaults(schema, { grace: 3600 }).properties.grace.default, 3600)
    assert.throws(() => withDefaults(schema, { timeout: 60 }), /timeout/)
  })
})
