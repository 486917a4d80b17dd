import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { TOKEN_DEFAULTS } from '#models/token_defaults'
import { makeApiKey, makeUser } from '#tests/helpers/factories'

/**
 * A new Token's defaults are TOKEN_DEFAULTS wherever it is made: by the API
 * (TokenService), by the edge's auto-provisioning (the tokens table's
 * column defaults), and as the API document states them.
 */
test.group('Token defaults', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the tokens table gives a Token inserted bare the same defaults', async ({ assert }) => {
    const user = await makeUser()
    // The columns auto-provisioning (#services/ingest/auto_tokens) writes, no others
    const [row] = await db
      .table('tokens')
      .insert({
        uuid: randomUUID(),
        user_id: user.id,
        name: 'bare',
        slug: 'bare',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning(Object.keys(TOKEN_DEFAULTS))
    assert.deepEqual(row, TOKEN_DEFAULTS)
  })

  test('the API makes and documents a Token with the same defaults', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'db' })
    const served = await client.get('/api/v1/openapi.json')
    const input = served.body().components.schemas.TokenInput.properties
    for (const [field, value] of Object.entries(TOKEN_DEFAULTS)) {
      assert.deepEqual(created.body().data[field], value, field)
      assert.deepEqual(input[field].default, value, field)
    }
  })
})
