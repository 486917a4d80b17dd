import { test } from '@japa/runner'
import { decodePingMessage, encodePingMessage, type PingMessage } from '#lib/ping_message'

const toBuffers = (fields: (string | Buffer)[]) => fields.map((field) => Buffer.from(field))

test.group('Ping message on the stream', () => {
  test('survives a round trip, body bytes included', ({ assert }) => {
    const message: PingMessage = {
      token: '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60',
      action: 'fail',
      at: 1767225600000,
      method: 'POST',
      remoteAddr: '10.0.0.7',
      userAgent: 'curl/8',
      exitStatus: 3,
      rid: '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60',
      body: Buffer.from([0, 255, 10, 65]),
      create: { pingKey: 'key_-A1', slug: 'nightly-backup' },
    }
    assert.deepEqual(decodePingMessage(toBuffers(encodePingMessage(message))), message)
  })

  test('leaves optional fields out and reads them back as null', ({ assert }) => {
    const message: PingMessage = {
      token: '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60',
      action: 'success',
      at: 1,
      method: 'GET',
      remoteAddr: '',
      userAgent: '',
      exitStatus: null,
      rid: null,
      body: null,
      create: null,
    }
    const fields = encodePingMessage(message)
    assert.lengthOf(fields, 12)
    assert.deepEqual(decodePingMessage(toBuffers(fields)), message)
  })

  test('rejects an entry that is not a ping', ({ assert }) => {
    assert.isNull(decodePingMessage(toBuffers(['t', 'x'])))
    assert.isNull(decodePingMessage(toBuffers(['t', 'x', 'a', 'explode', 'at', '1'])))
  })
})
