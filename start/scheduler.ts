/*
|--------------------------------------------------------------------------
| Scheduled work (the "scheduler" role: node ace scheduler:run)
|--------------------------------------------------------------------------
*/

import scheduler from 'adonisjs-scheduler/services/main'
import LateDetector from '#services/late_detector'
import { pruneFlips } from '#services/flip_pruner'
import { PingPruner } from '#services/ping_pruner'
import config from '@adonisjs/core/services/config'

const lateDetector = new LateDetector()

/**
 * Overdue Tokens go down within seconds of their `alert_after`. Running two
 * schedulers is safe: a Token is flipped once (see LateDetector).
 */
scheduler
  .call(async () => {
    await lateDetector.runOnce()
  })
  .everySeconds(2)
  .withoutOverlapping()

/**
 * Redis keeps nothing on disk on small installs; rebuild the edge's Token set
 * regularly so a restarted Redis never turns valid pings into 404s for long.
 */
scheduler.command('tokens:sync').everyMinute()

/**
 * Flips are kept 93 days.
 */
scheduler
  .call(async () => {
    await pruneFlips()
  })
  .hourly()
  .withoutOverlapping()

/**
 * The worker prunes the Tokens it ingests for; this sweep reaches the rest
 * (idle Tokens, a lowered PING_LOG_LIMIT).
 */
scheduler
  .call(async () => {
    await new PingPruner(config.get<number>('ngip.pingLogLimit')).sweep()
  })
  .daily()
  .withoutOverlapping()
