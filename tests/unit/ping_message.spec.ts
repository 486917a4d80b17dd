import { test } from '@japa/runner'
import {
  decodePingEntry,
  decodePingMessage,
  encodePingMessage,
  pingStreamId,
  type PingMessage,
} from '#lib/ping_message'

const UUID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
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
      durationMs: 1500,
      snoozeMinutes: null,
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
      durationMs: null,
      snoozeMinutes: null,
    }
    const fields = encodePingMessage(message)
    assert.lengthOf(fields, 4)
    assert.deepEqual(decodePingMessage(toBuffers(fields)), message)
  })

  test('keeps a reported duration without a create request', ({ assert }) => {
    const message: PingMessage = {
      token: UUID,
      action: 'success',
      at: 1,
      method: 'GET',
      remoteAddr: '',
      userAgent: '',
      exitStatus: null,
      rid: null,
      body: null,
      create: null,
      durationMs: 42,
      snoozeMinutes: null,
    }
    assert.deepEqual(decodePingMessage(toBuffers(encodePingMessage(message))), message)
    const entry = (duration: unknown) =>
      decodePingMessage(
        toBuffers([
          't',
          UUID,
          'p',
          JSON.stringify(['success', 1, '', '', '', null, null, null, null, duration]),
        ])
      )!.durationMs
    assert.equal(entry(12.6), 13)
    assert.isNull(entry(-1))
    assert.isNull(entry('12'))
    assert.isNull(entry(73 * 3600 * 1000))
  })

  test('carries a snooze and its minutes, which no other action has', ({ assert }) => {
    const message: PingMessage = {
      token: UUID,
      action: 'snooze',
      at: 1,
      method: 'GET',
      remoteAddr: '',
      userAgent: '',
      exitStatus: null,
      rid: null,
      body: null,
      create: null,
      durationMs: null,
      snoozeMinutes: 90,
    }
    assert.deepEqual(decodePingMessage(toBuffers(encodePingMessage(message))), message)
    const minutes = (value: unknown) =>
      decodePingMessage(
        toBuffers([
          't',
          UUID,
          'p',
          JSON.stringify(['snooze', 1, '', '', '', null, null, null, null, null, value]),
        ])
      )!.snoozeMinutes
    assert.equal(minutes(0), 0)
    assert.isNull(minutes(-1))
    assert.isNull(minutes(10_081))
    assert.isNull(minutes('60'))
  })

  test('rejects an entry that is not a ping', ({ assert }) => {
    assert.isNull(decodePingMessage(toBuffers(['t', 'x'])))
    assert.isNull(decodePingMessage(toBuffers(['t', 'x', 'a', 'explode', 'at', '1'])))
  })

  test('makes every field safe to store, whatever the stream holds', ({ assert }) => {
    const entry = (packed: unknown[]) =>
      decodePingMessage(toBuffers(['t', UUID, 'p', JSON.stringify(packed)]))
    const message = entry(['log', 5, 'GET\0', '1.2.3.4'.repeat(20), 'ua\0'.repeat(100), 300, 'no'])
    assert.containSubset(message, { method: 'GET', exitStatus: null, rid: null })
    assert.lengthOf(message!.remoteAddr, 45)
    assert.equal(message!.userAgent, 'ua'.repeat(100))
    assert.isNull(entry(['success', 'soon']))
    assert.isNull(entry(['success', -1]))
    assert.isNull(entry(['success', 8.64e15]))
    assert.isNull(entry(['reboot', 1]))
    assert.isNull(decodePingMessage(toBuffers(['t', UUID, 'p', '{not json'])))
    assert.isNull(decodePingMessage(toBuffers(['t', 'not-a-uuid', 'p', '["success",1]'])))
  })

  test('an entry holds the pings of one loop turn, each read in its place', ({ assert }) => {
    const other = '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60'
    const fields = [
      ...['t', UUID, 'p', '["start",1,"GET","","",null,null]'],
      ...['t', other, 'p', 'broken'],
      ...['t', other, 'p', '["fail",2,"POST","","",1,null]', 'b', 'body'],
    ]
    const pings = decodePingEntry(toBuffers(fields))
    assert.lengthOf(pings, 3)
    assert.containSubset(pings[0], { token: UUID, action: 'start', body: null })
    assert.isNull(pings[1])
    assert.containSubset(pings[2], { token: other, action: 'fail', exitStatus: 1 })
    assert.equal(pings[2]!.body!.toString(), 'body')
    assert.deepEqual(
      [0, 2].map((index) => pingStreamId('1764393600000-7', index)),
      ['1764393600000-7', '1764393600000-7.2']
    )
  })
})
