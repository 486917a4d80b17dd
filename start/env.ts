/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
|
| Every variable the app reads is declared and validated here; only config/*
| reads them. Defaults suit one machine with PostgreSQL (user postgres, trust)
| and Redis on 127.0.0.1. The ping edge (ping/) validates its own subset.
|
*/

import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum.optional(['development', 'production', 'test'] as const),
  HOST: Env.schema.string.optional({ format: 'host' }),
  PORT: Env.schema.number.optional(),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  TRUSTED_PROXIES: Env.schema.string.optional(),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory', 'redis'] as const),
  LIMITER_STORE: Env.schema.enum.optional(['redis', 'memory'] as const),
  QUEUE_DRIVER: Env.schema.enum.optional(['redis', 'sync'] as const),

  DB_HOST: Env.schema.string.optional({ format: 'host' }),
  DB_PORT: Env.schema.number.optional(),
  DB_USER: Env.schema.string.optional(),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string.optional(),
  DB_SSL: Env.schema.boolean.optional(),

  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),
  REDIS_TLS: Env.schema.boolean.optional(),

  PING_PORT: Env.schema.number.optional(),
  PING_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  PING_BODY_LIMIT: Env.schema.number.optional(),
  PING_RATE_LIMIT: Env.schema.number.optional(),
  PING_LOG_LIMIT: Env.schema.number.optional(),
  INGEST_BATCH_SIZE: Env.schema.number.optional(),
  /** Set by `pnpm start` and the image's `small` command: full, or small (all-in-one) */
  NGIP_MODE: Env.schema.enum.optional(['full', 'small'] as const),
  TOKENS_SYNC_INTERVAL_S: Env.schema.number.optional(),
  INGEST_CLAIM_IDLE_MS: Env.schema.number.optional(),
  INGEST_PARALLEL: Env.schema.number.optional(),
  INGEST_LINGER_MS: Env.schema.number.optional(),
  INGEST_LAG_DEGRADED_S: Env.schema.number.optional(),

  INTEGRATIONS_ALLOW_PRIVATE_IPS: Env.schema.boolean.optional(),
  API_RATE_LIMIT: Env.schema.number.optional(),
  NOTIFY_RETRY_BASE_MS: Env.schema.number.optional(),
  CHANNEL_API_BASE_URLS: Env.schema.string.optional(),

  SMTP_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
  MAIL_FROM: Env.schema.string.optional(),

  METRICS_NAMESPACE: Env.schema.string.optional(),
  METRICS_ENVIRONMENT: Env.schema.string.optional(),
  METRICS_TOKEN: Env.schema.string.optional(),
  WORKER_METRICS_PORT: Env.schema.number.optional(),
  WORKER_METRICS_HOST: Env.schema.string.optional({ format: 'host' }),
  // Read by the edge (ping/config.ts), declared here so one list names them all.
  PING_METRICS_PORT: Env.schema.number.optional(),
  PING_METRICS_HOST: Env.schema.string.optional({ format: 'host' }),
  // Email pings: read by the SMTP listener (ping/smtpd/config.ts) and `pnpm start`.
  PING_EMAIL_DOMAIN: Env.schema.string.optional({ format: 'host' }),
  SMTPD_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTPD_PORT: Env.schema.number.optional(),
  SMTPD_MAX_MESSAGE_BYTES: Env.schema.number.optional(),
  SMTPD_MAX_CONNECTIONS: Env.schema.number.optional(),
  SMTPD_TIMEOUT_MS: Env.schema.number.optional(),
  SMTPD_TLS_KEY: Env.schema.string.optional(),
  SMTPD_TLS_CERT: Env.schema.string.optional(),
})
