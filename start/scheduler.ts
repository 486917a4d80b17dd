/*
|--------------------------------------------------------------------------
| Scheduled work (the "scheduler" role: node ace scheduler:run)
|--------------------------------------------------------------------------
*/

import scheduler from 'adonisjs-scheduler/services/main'
import LateDetector from '#services/late_detector'
import { pruneFlips } from '#services/flip_pruner'

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
