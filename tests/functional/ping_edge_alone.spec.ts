import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { spawnEdge, startPostgresTrap } from '#tests/helpers/edge'
import { queuedPings, send } from '#tests/helpers/ping'

const UNKNOWN = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'

test.group('Ping edge: never asks PostgreSQL', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('the edge process answers known and unknown Tokens with PostgreSQL out of reach', async ({
    assert,
    cleanup,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Backup', slug: 'backup' })
    // Every way the edge could find PostgreSQL leads to the trap.
    const trap = await startPostgresTrap()
    cleanup(() => trap.close())
    const at = `postgres://postgres@127.0.0.1:${trap.port}/ngip`
    const edge = await spawnEdge({
      DB_HOST: '127.0.0.1',
      DB_PORT: String(trap.port),
      PGHOST: '127.0.0.1',
      PGPORT: String(trap.port),
      DATABASE_URL: at,
    })
    cleanup(() => edge.close())

    const answers = [
      [`/ping/${token.uuid}`, 200, 'OK'],
      [`/ping/${UNKNOWN}`, 404, 'not found'],
      [`/ping/${UNKNOWN}/fail`, 404, 'not found'],
      [`/ping/${user.pingKey}/backup/start`, 200, 'OK'],
      [`/ping/${user.pingKey}/nothing-here`, 404, 'not found'],
      [`/ping/${user.pingKey}/made-here?create=1`, 201, 'Created'],
    ] as const
    for (const [path, status, text] of answers) {
      const response = await send(edge.url, path)
      assert.deepEqual([path, response.status, response.text], [path, status, text])
    }
    assert.lengthOf(await queuedPings(), 3)
    assert.equal(trap.connections(), 0, 'the edge connected to PostgreSQL')
  })
})
