import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, destinations } from '@adonisjs/core/logger'

/**
 * JSON lines in production (each web request's lines carry its request_id);
 * otherwise pino-pretty, with colours only on a terminal, so a log file or
 * `pnpm start`'s pipe gets plain lines. Both are written from the process's
 * own thread: a pino transport would start a worker thread (a V8 isolate of
 * its own, ~20 MB) in every role.
 */
const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: 'ngip',
      level: env.get('LOG_LEVEL', 'info'),
      destination: app.inProduction
        ? undefined
        : await destinations.pretty({ colorize: Boolean(process.stdout.isTTY), sync: true }),
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
