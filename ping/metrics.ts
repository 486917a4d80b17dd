import { processMemoryGauge, Registry, type CounterChild } from '#lib/metrics'
import { EDGE_ANSWERS, type EdgeAnswer } from './answers.js'

/**
 * The edge's metrics (node:http server only; a Lambda has no port to scrape):
 * one counter child per answer, bound once, so counting a ping is one
 * property read and one addition.
 */
export function edgeMetrics() {
  const registry = new Registry()
  const pings = registry.counter(
    'ngip_edge_pings_total',
    'Requests answered by the ping edge, by answer (ok, created, not_found, rate_limited, unavailable, ...); /health not included.'
  )
  const byAnswer = Object.fromEntries(
    EDGE_ANSWERS.map((answer) => [answer, pings.labels({ answer })])
  ) as Record<EdgeAnswer, CounterChild>
  processMemoryGauge(registry)
  return {
    registry,
    count(answer: EdgeAnswer | '') {
      if (answer !== '') {
        byAnswer[answer].inc()
      }
    },
  }
}
