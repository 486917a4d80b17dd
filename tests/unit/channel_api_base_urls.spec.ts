import { test } from '@japa/runner'
import { channelApiBaseUrls } from '#config/ngip'

test.group('CHANNEL_API_BASE_URLS', () => {
  test('left out or empty: every service its own host', ({ assert }) => {
    assert.deepEqual(channelApiBaseUrls(undefined), {})
    assert.deepEqual(channelApiBaseUrls(''), {})
  })

  test('a JSON object of kind to base URL', ({ assert }) => {
    assert.deepEqual(channelApiBaseUrls('{"pushover": "http://127.0.0.1:8080/relay"}'), {
      pushover: 'http://127.0.0.1:8080/relay',
    })
  })

  test('anything else is refused at boot, saying what it must be', ({ assert }) => {
    assert.throws(() => channelApiBaseUrls('pushover=http://x'), /must be a JSON object/)
    assert.throws(() => channelApiBaseUrls('["http://x"]'), /must be a JSON object/)
    assert.throws(
      () => channelApiBaseUrls('{"pushover": "api.pushover.net"}'),
      /base URL of pushover must be an http\(s\) URL/
    )
  })
})
