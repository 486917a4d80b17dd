import { test } from '@japa/runner'
import { HIDDEN, redactedConfig } from '#services/alerts/channels/redaction'
import type { ChannelKind } from '#services/alerts/channels/index'

test.group('Channel redaction', () => {
  test('a Channel of a kind no longer registered shows none of its config', ({ assert }) => {
    const config = { url: 'https://hooks.example.com/secret', key: 'abc', retries: 3 }
    assert.deepEqual(redactedConfig('gone' as ChannelKind, config), {
      url: HIDDEN,
      key: HIDDEN,
      retries: 3,
    })
  })

  test('a field a kind does not name as secret is shown as it is', ({ assert }) => {
    assert.deepEqual(redactedConfig('email', { to: 'ops@example.com' }), { to: 'ops@example.com' })
  })
})
