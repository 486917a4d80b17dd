import { test } from '@japa/runner'
import { loadEdgeConfig } from '#ping/config'
import { httpServerOptions } from '#ping/connection_limits'

test.group('Ping edge connection limits', () => {
  test('default to closing idle and slow clients within 10 s, 4000 at once', ({ assert }) => {
    const { connections } = loadEdgeConfig({})
    assert.deepEqual(connections, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
      idleTimeoutMs: 10_000,
      maxConnections: 4000,
    })
    // node:http checks the timeouts often enough to keep them (30 s by default)
    assert.equal(httpServerOptions(connections).connectionsCheckingInterval, 1000)
  })

  test('are read from the environment', ({ assert }) => {
    const { connections } = loadEdgeConfig({
      PING_HEADERS_TIMEOUT_MS: '800',
      PING_REQUEST_TIMEOUT_MS: '1500',
      PING_KEEP_ALIVE_TIMEOUT_MS: '300',
      PING_IDLE_TIMEOUT_MS: '0',
      PING_MAX_CONNECTIONS: '3',
    })
    assert.deepEqual(connections, {
      headersTimeoutMs: 800,
      requestTimeoutMs: 1500,
      keepAliveTimeoutMs: 300,
      idleTimeoutMs: 0,
      maxConnections: 3,
    })
    assert.equal(httpServerOptions(connections).connectionsCheckingInterval, 200)
  })

  test('refuse a headers limit above the request limit, naming both', ({ assert }) => {
    assert.throws(
      () => loadEdgeConfig({ PING_HEADERS_TIMEOUT_MS: '20000', PING_REQUEST_TIMEOUT_MS: '5000' }),
      'PING_HEADERS_TIMEOUT_MS (20000) must not exceed PING_REQUEST_TIMEOUT_MS (5000)'
    )
    assert.throws(
      () => loadEdgeConfig({ PING_MAX_CONNECTIONS: 'many' }),
      'PING_MAX_CONNECTIONS must be a non-negative integer, got "many"'
    )
  })
})
