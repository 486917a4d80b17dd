import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import { pingQueueDepth } from '#services/queue_depth_metric'

/**
 * Prometheus text exposition of what an operator watches: the ping queue,
 * Tokens by stored status, and this process.
 */
export default class MetricsService {
  static async render(): Promise<string> {
    const [queueLength, pending, statuses] = await Promise.all([
      pingQueueDepth().catch(() => 0),
      redis
        .xpending(redisKeys.pings, redisKeys.ingestGroup)
        .then((summary) => Number((summary as unknown[])[0] ?? 0))
        .catch(() => 0),
      db.from('tokens').select('status').count('* as n').groupBy('status'),
    ])
    const lines = [
      '# HELP ngip_ping_queue_length Ping stream entries not yet stored (unread + pending).',
      '# TYPE ngip_ping_queue_length gauge',
      `ngip_ping_queue_length ${queueLength}`,
      '# HELP ngip_ping_queue_pending Entries read by a worker and not yet acknowledged.',
      '# TYPE ngip_ping_queue_pending gauge',
      `ngip_ping_queue_pending ${pending}`,
      '# HELP ngip_tokens Tokens by stored status.',
      '# TYPE ngip_tokens gauge',
      ...statuses.map((row: any) => `ngip_tokens{status="${row.status}"} ${row.n}`),
      '# HELP process_resident_memory_bytes Resident memory of the web process.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    ]
    return lines.join('\n') + '\n'
  }
}
