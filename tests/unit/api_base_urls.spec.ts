import { test } from '@japa/runner'
import { parseApiBaseUrls } from '#lib/api_base_urls'

test.group('CHANNEL_API_BASE_URLS', () => {
  test('reads host=base pairs, hosts in lower case, bases without a trailing slash', ({
    assert,
  }) => {
    assert.deepEqual(parseApiBaseUrls(''), {})
    assert.deepEqual(
      parseApiBaseUrls(
        ' API.telegram.org=http://bot-api:8081/ , events.pagerduty.com=https://proxy.example/pd,'
      ),
      {
        'api.telegram.org': 'http://bot-api:8081',
        'events.pagerduty.com': 'https://proxy.example/pd',
      }
    )
  })

  test('a malformed pair stops the start, naming it', ({ assert }) => {
    for (const bad of [
      'api.telegram.org',
      '=http://x',
      'api.telegram.org=bot-api:8081',
      'h=ftp://x',
    ]) {
      assert.throws(
        () => parseApiBaseUrls(bad),
        `"${bad}" is not <service host>=<http(s) base URL>`
      )
    }
  })
})
