import { hostname } from 'node:os'
import type { Server } from 'node:http'
import type { ApplicationService } from '@adonisjs/core/types'
import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import outageLog from '#services/operations/outages'
import { servicesReady } from '#services/operations/services_ready'
import { PingIngest } from '#services/ingest/ping_ingest'
import AlertWorker from '#services/alerts/alert_worker'
import { emfLine, pingQueueDepth } from '#services/operations/queue_depth_metric'
import { listenMetrics } from '#lib/metrics_server'
import { appMetrics } from '#services/operations/app_metrics'
import { TableVacuum } from '#services/ingest/table_vacuum'

/** The worker role as it runs, in its own process or in the all-in-one one. */
export interface RunningWorker {
  /** Ends the loop after the batch in hand is committed (SIGTERM) */
  stop(): Promise<void>
  /** Settles once the loop ended; `failed` when it stopped on an error */
  finished: Promise<{ failed: boolean }>
}

/**
 * The worker's own /metrics (its counters), when WORKER_METRICS_PORT is set;
 * it answers the METRICS_TOKEN bearer only, so that token must be set too.
 * Throws the line to print when that cannot work.
 */
export async function listenWorkerMetrics(app: ApplicationService): Promise<Server | null> {
  const { token, worker } = app.config.get<{
    token: string
    worker: { host: string; port: number }
  }>('ngip.metrics')
  if (!worker.port) {
    return null
  }
  if (!token) {
    throw new Error(
      'WORKER_METRICS_PORT is set: set METRICS_TOKEN too, the bearer token it answers'
    )
  }
  const { server, port } = await listenMetrics(appMetrics, { ...worker, token })
  logger.info(`worker: metrics on http://${worker.host}:${port}/metrics`)
  return server
}

/**
 * Every minute, the ping-queue depth as a CloudWatch metric (when
 * METRICS_NAMESPACE is set), zero included, so a silent worker raises the alarm.
 */
function reportQueueDepth(app: ApplicationService) {
  const { namespace, environment } = app.config.get<{
    namespace: string
    environment: string
  }>('ngip.metrics')
  return setInterval(async () => {
    if (namespace) {
      const depth = await pingQueueDepth().catch(() => null)
      if (depth !== null) {
        console.log(emfLine(depth, namespace, environment))
      }
    }
  }, 60_000)
}

/** The worker writes its pruning marks this often (the sweep runs hourly). */
const PRUNE_MARK_EVERY_MS = 10_000

/** How often the worker looks at the dead rows of the tables it churns (see TableVacuum). */
const VACUUM_CHECK_MS = 5000

function keepTablesVacuumed(report: (error: unknown) => void) {
  const tables = [new TableVacuum('tokens'), new TableVacuum('pings')]
  let running = false
  return setInterval(async () => {
    if (running) {
      return
    }
    running = true
    for (const table of tables) {
      await table.check().catch(report)
    }
    running = false
  }, VACUUM_CHECK_MS).unref()
}

/**
 * Drains the ping stream into PostgreSQL and sends notifications. Null when
 * a setting cannot work (the outage log has said which and stops the process).
 */
export async function startWorker(
  app: ApplicationService,
  metricsServer: Server | null
): Promise<RunningWorker | null> {
  const settings = app.config.get<{
    batchSize: number
    parallel: number
    blockMs: number
    claimIdleMs: number
    lingerMs: number
  }>('ngip.ingest')
  const outages = outageLog()
  if (!(await servicesReady(outages))) {
    metricsServer?.close()
    return null
  }
  // Blocking reads get a connection of their own; acks use the shared one.
  const reader = redis.connection('main').ioConnection.duplicate()
  reader.on('error', (error) => outages.report(error, 'ingest', 'Redis'))
  const ingest = new PingIngest(
    reader,
    {
      ...settings,
      consumer: `${hostname()}-${process.pid}`,
      pingLogLimit: app.config.get<number>('ngip.pingLogLimit'),
      pruneMarkEveryMs: PRUNE_MARK_EVERY_MS,
      onError: (error) => outages.report(error, 'ingest'),
    },
    redis.connection('main').ioConnection
  )
  await ingest.ensureGroup()

  logger.info('worker: draining the ping stream')
  let failed = false
  const loop = ingest.run().catch((error) => {
    logger.error(`worker: stopped with the batch unacknowledged: ${error.message}`)
    failed = true
  })
  const notifications = new AlertWorker(app, {
    info: (message) => logger.info(message),
    report: (error, what) => outages.report(error, what),
  })
  const alerting = notifications.start().catch((error) => {
    logger.error(`worker: notifications stopped: ${error.message}`)
  })
  const metrics = reportQueueDepth(app)
  const vacuuming = keepTablesVacuumed((error) => outages.report(error, 'vacuum'))

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(metrics)
      clearInterval(vacuuming)
      outages.stop()
      ingest.stop()
      await notifications.stop()
      await Promise.all([loop, alerting])
    })())

  const finished = (async () => {
    await loop
    clearInterval(metrics)
    clearInterval(vacuuming)
    await notifications.stop()
    await alerting
    reader.disconnect()
    outages.stop()
    metricsServer?.close()
    logger.info('worker: stopped')
    return { failed }
  })()
  return { stop, finished }
}
