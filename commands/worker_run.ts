import { hostname } from 'node:os'
import type { Server } from 'node:http'
import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import outageLog from '#services/operations/outages'
import { servicesReady } from '#services/operations/services_ready'
import { PingIngest } from '#services/ingest/ping_ingest'
import AlertWorker from '#services/alerts/alert_worker'
import { emfLine, pingQueueDepth } from '#services/operations/queue_depth_metric'
import { listenMetrics } from '#lib/metrics_server'
import { appMetrics } from '#services/operations/app_metrics'

export default class WorkerRun extends BaseCommand {
  static commandName = 'worker:run'
  static description =
    'The worker role: drain the ping stream into PostgreSQL, queue and send notifications'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    let metricsServer: Server | null
    try {
      metricsServer = await this.listenMetrics()
    } catch (error) {
      // A worker that cannot serve its metrics as configured stops, never hangs.
      this.logger.error(`worker: ${(error as Error).message}`)
      this.exitCode = 1
      await this.app.terminate()
      return
    }
    const settings = this.app.config.get<{
      batchSize: number
      parallel: number
      blockMs: number
      claimIdleMs: number
    }>('ngip.ingest')
    const outages = outageLog()
    if (!(await servicesReady(outages))) {
      return
    }
    // Blocking reads get a connection of their own; acks use the shared one.
    const reader = redis.connection('main').ioConnection.duplicate()
    reader.on('error', (error) => outages.report(error, 'ingest', 'Redis'))
    const ingest = new PingIngest(
      reader,
      {
        ...settings,
        consumer: `${hostname()}-${process.pid}`,
        pingLogLimit: this.app.config.get<number>('ngip.pingLogLimit'),
        onError: (error) => outages.report(error, 'ingest'),
      },
      redis.connection('main').ioConnection
    )
    await ingest.ensureGroup()

    logger.info('worker: draining the ping stream')
    const loop = ingest.run().catch((error) => {
      logger.error(`worker: stopped with the batch unacknowledged: ${error.message}`)
      this.exitCode = 1
    })
    const notifications = new AlertWorker(this.app, {
      info: (message) => logger.info(message),
      report: (error, what) => outages.report(error, what),
    })
    const alerting = notifications.start().catch((error) => {
      logger.error(`worker: notifications stopped: ${error.message}`)
    })
    const metrics = this.reportQueueDepth()
    // SIGTERM terminates the app: let the batch in hand commit first.
    this.app.terminating(async () => {
      clearInterval(metrics)
      outages.stop()
      ingest.stop()
      await notifications.stop()
      await Promise.all([loop, alerting])
    })
    await loop
    clearInterval(metrics)
    await notifications.stop()
    await alerting
    reader.disconnect()
    outages.stop()
    metricsServer?.close()
    logger.info('worker: stopped')
    await this.app.terminate()
  }

  /**
   * The worker's own /metrics (its counters), when WORKER_METRICS_PORT is set;
   * it answers the METRICS_TOKEN bearer only, so that token must be set too.
   */
  async listenMetrics() {
    const { token, worker } = this.app.config.get<{
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
    this.logger.info(`worker: metrics on http://${worker.host}:${port}/metrics`)
    return server
  }

  /**
   * Every minute, the ping-queue depth as a CloudWatch metric (when
   * METRICS_NAMESPACE is set), zero included, so a silent worker raises the alarm.
   */
  reportQueueDepth() {
    const { namespace, environment } = this.app.config.get<{
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
}
