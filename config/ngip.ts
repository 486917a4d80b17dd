import env from '#start/env'
import { parseApiBaseUrls } from '#lib/api_base_urls'
import { DEFAULT_INGEST_LINGER_MS } from '#lib/ingest_defaults'

/**
 * Product settings of ngip itself.
 */
const ngipConfig = {
  /** Public base URL of the ping edge, used to show each Token's ping URL */
  pingUrl: env
    .get('PING_URL', `http://127.0.0.1:${env.get('PING_PORT', 3334)}`)
    .replace(/\/+$/, ''),
  /** Domain of the email ping addresses (<uuid>@<domain>); email pings are off while empty */
  pingEmailDomain: env.get('PING_EMAIL_DOMAIN', ''),
  pingBodyLimit: env.get('PING_BODY_LIMIT', 10_000),
  pingRateLimit: env.get('PING_RATE_LIMIT', 0),
  pingLogLimit: env.get('PING_LOG_LIMIT', 1000),
  /**
   * Seconds between the scheduler's full checks of the edge's Token set
   * against PostgreSQL. Writes keep the set in step; the check is a safety
   * net (and runs within a minute when Redis restarted empty).
   */
  tokensSyncIntervalS: env.get('TOKENS_SYNC_INTERVAL_S', 3600),
  integrationsAllowPrivateIps: env.get('INTEGRATIONS_ALLOW_PRIVATE_IPS', false),
  notifications: {
    /** First retry delay of a failed delivery; doubles on each retry */
    retryBaseDelayMs: env.get('NOTIFY_RETRY_BASE_MS', 5000),
    /**
     * Where the Channel kinds with a fixed service host (Telegram, PagerDuty, Opsgenie…)
     * send instead, by host: `api.telegram.org=http://bot-api:8081,…` (a proxy, a
     * self-hosted Bot API server, a test receiver). Empty: each service's own host.
     */
    apiBaseUrls: parseApiBaseUrls(env.get('CHANNEL_API_BASE_URLS', '')),
  },
  metrics: {
    /** Where the worker reports the ping-queue depth (CloudWatch EMF on stdout); off when unset */
    namespace: env.get('METRICS_NAMESPACE', ''),
    environment: env.get('METRICS_ENVIRONMENT', 'local'),
    /** The bearer token /metrics answers; /metrics is off (404) when unset */
    token: env.get('METRICS_TOKEN', ''),
    /** The worker's metrics listener (same bearer token); off while the port is 0 */
    worker: {
      host: env.get('WORKER_METRICS_HOST', '127.0.0.1'),
      port: env.get('WORKER_METRICS_PORT', 0),
    },
  },
  /**
   * Failed sign-ins (SignInService): per address and email, and per email from
   * any address, so guesses spread over many addresses are slow too (at most
   * 20 every 15 minutes, about 2,000 a day). Whoever causes the account's block,
   * the real user is refused while it lasts and gets in again 15 minutes later.
   */
  signIn: {
    address: { requests: 10, duration: '1 minute', blockDuration: '5 minutes' },
    account: { requests: 20, duration: '15 minutes', blockDuration: '15 minutes' },
  },
  /** REST API requests a minute per API key */
  apiRateLimit: env.get('API_RATE_LIMIT', 600),
  /** Pings per batch, and how long a dead worker's entries wait before being claimed */
  ingest: {
    // The small mode holds fewer pings at once: its one process stays near 300 MB under load.
    batchSize: env.get('INGEST_BATCH_SIZE', env.get('NGIP_MODE') === 'small' ? 2000 : 10_000),
    blockMs: 1000,
    claimIdleMs: env.get('INGEST_CLAIM_IDLE_MS', 30_000),
    /** Transactions a batch is split into (by Token), so PostgreSQL uses more cores */
    parallel: env.get('INGEST_PARALLEL', 2),
    /** Under load, a batch is stored at least this long (ms) after the one before (see PingIngest) */
    lingerMs: env.get('INGEST_LINGER_MS', DEFAULT_INGEST_LINGER_MS),
    /** /health/ready says degraded (503) once the oldest ping not stored is older than this */
    lagDegradedS: env.get('INGEST_LAG_DEGRADED_S', 60),
  },
}

export default ngipConfig
