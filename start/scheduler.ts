/*
|--------------------------------------------------------------------------
| Scheduled work (the "scheduler" role: node ace scheduler:run)
|--------------------------------------------------------------------------
*/

import scheduler from 'adonisjs-scheduler/services/main'

/**
 * Redis keeps nothing on disk on small installs; rebuild the edge's Token set
 * regularly so a restarted Redis never turns valid pings into 404s for long.
 */
scheduler.command('tokens:sync').everyMinute()
