import { test } from '@japa/runner'
import { emfLine } from '#services/operations/queue_depth_metric'

test.group('Ping-queue depth metric', () => {
  test('is a CloudWatch Embedded Metric Format line with the infra contract', ({ assert }) => {
    const line = JSON.parse(emfLine(42, 'ngip', 'stage', new Date('2026-01-01T00:00:00Z')))
    assert.deepEqual(line, {
      _aws: {
        Timestamp: 1767225600000,
        CloudWatchMetrics: [
          {
            Namespace: 'ngip',
            Dimensions: [['Environment']],
            Metrics: [{ Name: 'PingQueueDepth', Unit: 'Count' }],
          },
        ],
      },
      Environment: 'stage',
      PingQueueDepth: 42,
    })
  })
})
