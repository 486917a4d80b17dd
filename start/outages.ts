/*
|--------------------------------------------------------------------------
| Redis connection faults in one line each way
|--------------------------------------------------------------------------
|
| @adonisjs/redis logs every failed reconnection with a stack; the outage log
| says once that Redis is away and once that it is back. The web checks
| PostgreSQL once when it is ready (bin/server.ts: not in ace commands, which
| run where no database exists yet, e.g. codegen at install), so a wrong
| DB_DATABASE stops it in one line; the worker and the scheduler check it
| themselves.
|
*/

import redis from '@adonisjs/redis/services/main'
import outageLog from '#services/operations/outages'

redis.doNotLogErrors()
redis.on('connection', (connection) => {
  connection.on('error', ({ error }) => {
    outageLog().report(error, 'redis', 'Redis')
  })
  connection.on('ready', () => outageLog().up('Redis'))
})
