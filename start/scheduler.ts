/*
|--------------------------------------------------------------------------
| Scheduled work (the "scheduler" role: node ace scheduler:run)
|--------------------------------------------------------------------------
*/

import scheduler from 'adonisjs-scheduler/services/main'
import LateDetector from '#services/tokens/late_detector'
import { pruneFlips } from '#services/tokens/flip_pruner'
import { sweepPings } from '#services/tokens/ping_sweep'
import config from '@adonisjs/core/services/config'
import TokenRegistry from '#services/registry/token_registry'
import outageLog from '#services/operations/outages'
import { ReminderPass } from '#services/alerts/reminders'
import { ReportPass } from '#services/alerts/report_pass'

const lateDetector = new LateDetector()

/**
 * A task whose failure is told by the outage log: one line while PostgreSQL
 * or Redis is away (not a stack every two seconds), the role stopped when a
 * setting cannot work.
 */
function guarded(what: string, task: () => Promise<unknown>) {
  return async () => {
    try {
      await task()
    } catch (error) {
      outageLog().report(error, what)
    }
  }
}

/**
 * Overdue Tokens go down within seconds of their `alert_after`. Running two
 * schedulers is safe: a Token is flipped once (see LateDetector).
 */
scheduler
  .call(guarded('late detection', () => lateDetector.runOnce()))
  .everySeconds(2)
  .withoutOverlapping()

/**
 * Repeat alerts of down Tokens, from the index of due reminders: each is sent
 * once however many schedulers run (see ReminderPass).
 */
scheduler
  .call(guarded('repeat alerts', () => new ReminderPass().runOnce()))
  .everySeconds(30)
  .withoutOverlapping()

/**
 * Users' daily or weekly email reports, at their hour in their time zone;
 * each period is claimed by one pass (see ReportPass).
 */
scheduler
  .call(guarded('email reports', () => new ReportPass().runOnce()))
  .everyMinute()
  .withoutOverlapping()

/**
 * Every write path updates the edge's Token set at once; the full check
 * against the database is a safety net. Each minute we look whether it is due
 * (TOKENS_SYNC_INTERVAL_S, an hour by default) or Redis lost its keys (the
 * marker a sync leaves is gone), so a restarted Redis never turns valid pings
 * into 404s for long. The check diffs in small steps; one runs at a time
 * (here and, by a Redis lock, across processes).
 */
scheduler
  .call(
    guarded('tokens sync', () =>
      TokenRegistry.syncIfDue(config.get<number>('ngip.tokensSyncIntervalS'))
    )
  )
  .everyMinute()
  .withoutOverlapping()

/**
 * Flips are kept 93 days.
 */
scheduler
  .call(guarded('flip pruning', () => pruneFlips()))
  .hourly()
  .withoutOverlapping()

/**
 * The worker prunes the Tokens it ingests for; this sweep reaches the rest
 * (a worker stopped before its pass, a lowered PING_LOG_LIMIT). It visits
 * only Tokens with Pings since their last pruning, so it is cheap to run
 * hourly: after it, no Token holds more than the limit and the Pings of
 * batches stored during the pass.
 */
scheduler
  .call(guarded('ping pruning', () => sweepPings(config.get<number>('ngip.pingLogLimit'))))
  .hourly()
  .withoutOverlapping()
