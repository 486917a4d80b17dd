import { processMemoryGauge, Registry } from '#lib/metrics'

/**
 * The counters of the app's processes (web and worker alike: each role moves
 * its own, the others stay at 0). Scraped from the web's /metrics and from
 * the worker's metrics listener (WORKER_METRICS_PORT).
 */
export const appMetrics = new Registry()

export const httpRequests = appMetrics.counter(
  'ngip_http_requests_total',
  'Web requests answered, by route pattern ("unmatched" for none), method and status.'
)

/** Seconds; from 5 ms to 10 s */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const

export const httpDuration = appMetrics.histogram(
  'ngip_http_request_duration_seconds',
  'Time from a web request to its answer, by route pattern and method.',
  HTTP_BUCKETS
)

export const pingsStored = appMetrics
  .counter('ngip_pings_stored_total', 'Pings the worker stored in PostgreSQL.')
  .labels()

export const pingsDeadLettered = appMetrics
  .counter(
    'ngip_pings_dead_lettered_total',
    'Pings PostgreSQL refused even alone, kept on the dead-letter stream instead.'
  )
  .labels()

export const flips = appMetrics.counter(
  'ngip_flips_total',
  'Flips (status changes of a Token) handed to alerting, by new status.'
)
for (const to of ['up', 'warning', 'down', 'paused', 'new']) {
  flips.labels({ to })
}

export const notifications = appMetrics.counter(
  'ngip_notifications_total',
  'Notification deliveries through a Channel, by Channel kind and result (sent or failed); each retry counts.'
)

processMemoryGauge(appMetrics)
