/*
|--------------------------------------------------------------------------
| Redis connection faults in one line each way
|--------------------------------------------------------------------------
|
| @adonisjs/redis logs every failed reconnection with a stack; the outage log
| says once that Redis is away and once that it is back. The web checks
| PostgreSQL once at boot, so a wrong DB_DATABASE stops it in one line (the
| worker and the scheduler check it themselves).
|
*/

import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import outageLog from '#services/outages'

redis.doNotLogErrors()
redis.on('connection', (connection) => {
  connection.on('error', ({ error }) => {
    outageLog().report(error, 'redis', 'Redis')
  })
  connection.on('ready', () => outageLog().up('Redis'))
})

if (app.getEnvironment() === 'web') {
  db.rawQuery('SELECT 1').catch((error) => outageLog().report(error, 'startup check', 'PostgreSQL'))
}
