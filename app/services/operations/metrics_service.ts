import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { Registry } from '#lib/metrics'
import { redisKeys } from '#lib/redis_keys'
import { pingQueueDepth } from '#services/operations/queue_depth_metric'
import { ingestLag } from '#services/operations/ingest_lag'
import { appMetrics } from '#services/operations/app_metrics'

/** What the web reads at each scrape: the ping queue and Tokens (shared state, not per process) */
const shared = new Registry()
shared.gauge(
  'ngip_ping_queue_length',
  'Ping stream entries not yet stored (unread + pending).',
  async () => [[{}, await pingQueueDepth().catch(() => 0)]]
)
shared.gauge(
  'ngip_ping_queue_pending',
  'Entries read by a worker and not yet acknowledged.',
  async () => {
    const pending = await redis
      .xpending(redisKeys.pings, redisKeys.ingestGroup)
      .then((summary) => Number((summary as unknown[])[0] ?? 0))
      .catch(() => 0)
    return [[{}, pending]]
  }
)
shared.gauge(
  'ngip_ingest_lag_seconds',
  'Age of the oldest ping stream entry not yet stored; 0 when none waits.',
  async () => [
    [
      {},
      await ingestLag(redis.connection('main').ioConnection).then(
        (lag) => lag.oldest_s ?? 0,
        () => 0
      ),
    ],
  ]
)
shared.gauge('ngip_tokens', 'Tokens by stored status.', async () => {
  const rows = await db.from('tokens').select('status').count('* as n').groupBy('status')
  return rows.map((row: any) => [{ status: String(row.status) }, Number(row.n)])
})

/**
 * Prometheus text exposition of the web's /metrics: the shared gauges, then
 * this process's counters (see app_metrics).
 */
export default class MetricsService {
  static async render(): Promise<string> {
    const [gauges, counters] = await Promise.all([shared.render(), appMetrics.render()])
    return gauges + counters
  }
}
