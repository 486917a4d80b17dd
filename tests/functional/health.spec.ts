import { test } from '@japa/runner'

test.group('Health and metrics', () => {
  test('the web answers liveness and readiness', async ({ client }) => {
    const live = await client.get('/health/live')
    live.assertStatus(200)
    const ready = await client.get('/health/ready')
    ready.assertStatus(200)
    ready.assertBody({ status: 'ok', checks: { database: true, redis: true } })
  })

  test('metrics are in the Prometheus text format', async ({ client, assert }) => {
    const response = await client.get('/metrics')
    response.assertStatus(200)
    assert.match(response.text(), /^ngip_ping_queue_length \d+$/m)
  })
})
