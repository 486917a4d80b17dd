import { test } from '@japa/runner'
import { loadEdgeConfig } from '#ping/config'

test.group('Ping edge Redis client setting', () => {
  test('PING_REDIS_CLIENT picks builtin (the default) or ioredis, nothing else', ({ assert }) => {
    assert.equal(loadEdgeConfig({}).redisClient, 'builtin')
    assert.equal(loadEdgeConfig({ PING_REDIS_CLIENT: 'ioredis' }).redisClient, 'ioredis')
    assert.throws(
      () => loadEdgeConfig({ PING_REDIS_CLIENT: 'redis' }),
      'PING_REDIS_CLIENT must be one of builtin, ioredis, got "redis"'
    )
  })
})
