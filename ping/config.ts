import { existsSync } from 'node:fs'
import { type AddressMatcher, cidrMatcher } from '#lib/cidr'
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection_limits.js'
import { REDIS_CLIENT_KINDS, type RedisClientKind } from './redis_connection.js'

/**
 * Settings of the ping edge, read from the environment (and from .env when
 * run from the repository). The edge never imports the app's start/env.ts.
 */
export interface EdgeConfig {
  host: string
  port: number
  bodyLimit: number
  rateLimit: number
  /** Timeouts and cap of client connections (node:http server only) */
  connections: ConnectionLimits
  /**
   * A ping that waited this long while Redis sent nothing for as long answers
   * 503 (Redis down or stalled; the client retries)
   */
  redisTimeoutMs: number
  /** The longest a ping waits for a Redis that still answers (busy, not down) */
  redisBusyTimeoutMs: number
  /** How long a flush of pings waits for company after the last one (PING_FLUSH_LINGER_MS) */
  flushLingerMs: number
  /** The Redis client (PING_REDIS_CLIENT); see bench/RESULTS.md for how they compare */
  redisClient: RedisClientKind
  /**
   * The proxies (TRUSTED_PROXIES, as the app) whose X-Forwarded-For gives the
   * stored source address; none by default, and none with PING_TRUST_PROXY=false
   */
  trustedProxies: AddressMatcher
  /** The metrics listener (PING_METRICS_PORT; off, null, while unset or 0) */
  metrics: { host: string; port: number; token: string } | null
  redis: {
    host: string
    port: number
    password?: string
    db: number
    tls: boolean
  }
}

/**
 * A stalled Redis costs a ping about this much from its arrival before its
 * 503 (a ping queued behind a group of pings awaiting Redis included), plus
 * the machine's own delays: while the whole platform ran under load on 2
 * cores, 50 gave a slowest 503 of 60-82 ms, 70 gave 109-114 ms, and neither
 * turned a ping into a 503 (bench/RESULTS.md). A Redis starved of CPU that
 * long is silent too: on a machine at load 8-11, 50-75 ms gave 0.03-0.15 %
 * 503s under load where 100 gave none (raise it there, or for a Redis far
 * away). A Redis that keeps answering is waited for longer.
 */
export const DEFAULT_REDIS_TIMEOUT_MS = 100
export const DEFAULT_REDIS_BUSY_TIMEOUT_MS = 1000
/**
 * Under load, a flush of pings to Redis waits up to this long after the last
 * one (an idle edge sends a ping at once): pings that come one a connection,
 * each in its own event-loop turn, then share a script call and a stream
 * entry, and Redis and the worker handle one entry for several pings. It
 * bought 13-21 % more pings stored a second with one connection a ping
 * (bench/RESULTS.md), for at most this much more time to answer. Many
 * pings at once (keep-alive clients) do not wait: see LINGER_ENOUGH.
 */
export const DEFAULT_FLUSH_LINGER_MS = 1

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  }
  return value
}

function connectionLimits(env: NodeJS.ProcessEnv): ConnectionLimits {
  const limits = DEFAULT_CONNECTION_LIMITS
  const headersTimeoutMs = int(env, 'PING_HEADERS_TIMEOUT_MS', limits.headersTimeoutMs)
  const requestTimeoutMs = int(env, 'PING_REQUEST_TIMEOUT_MS', limits.requestTimeoutMs)
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    throw new Error(
      `PING_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed PING_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`
    )
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: int(env, 'PING_KEEP_ALIVE_TIMEOUT_MS', limits.keepAliveTimeoutMs),
    idleTimeoutMs: int(env, 'PING_IDLE_TIMEOUT_MS', limits.idleTimeoutMs),
    maxConnections: int(env, 'PING_MAX_CONNECTIONS', limits.maxConnections),
  }
}

function metricsListener(env: NodeJS.ProcessEnv): EdgeConfig['metrics'] {
  const port = int(env, 'PING_METRICS_PORT', 0)
  if (port === 0) {
    return null
  }
  const token = env.METRICS_TOKEN ?? ''
  if (!token) {
    throw new Error('PING_METRICS_PORT is set: set METRICS_TOKEN too, the bearer token it answers')
  }
  return { host: env.PING_METRICS_HOST || '127.0.0.1', port, token }
}

function redisClient(env: NodeJS.ProcessEnv): RedisClientKind {
  const raw = env.PING_REDIS_CLIENT || 'builtin'
  if (!REDIS_CLIENT_KINDS.includes(raw as RedisClientKind)) {
    throw new Error(
      `PING_REDIS_CLIENT must be one of ${REDIS_CLIENT_KINDS.join(', ')}, got "${raw}"`
    )
  }
  return raw as RedisClientKind
}

export function loadEdgeConfig(env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  return {
    host: env.PING_HOST || env.HOST || '127.0.0.1',
    port: int(env, 'PING_PORT', 3334),
    bodyLimit: int(env, 'PING_BODY_LIMIT', 10_000),
    rateLimit: int(env, 'PING_RATE_LIMIT', 0),
    connections: connectionLimits(env),
    redisTimeoutMs: int(env, 'PING_REDIS_TIMEOUT_MS', DEFAULT_REDIS_TIMEOUT_MS),
    redisBusyTimeoutMs: int(env, 'PING_REDIS_BUSY_TIMEOUT_MS', DEFAULT_REDIS_BUSY_TIMEOUT_MS),
    flushLingerMs: int(env, 'PING_FLUSH_LINGER_MS', DEFAULT_FLUSH_LINGER_MS),
    redisClient: redisClient(env),
    trustedProxies: cidrMatcher(
      env.PING_TRUST_PROXY === 'false' ? '' : (env.TRUSTED_PROXIES ?? '')
    ),
    metrics: metricsListener(env),
    redis: {
      host: env.REDIS_HOST || '127.0.0.1',
      port: int(env, 'REDIS_PORT', 6379),
      password: env.REDIS_PASSWORD || undefined,
      db: int(env, 'REDIS_DB', 0),
      tls: env.REDIS_TLS === 'true',
    },
  }
}

/**
 * Loads ./.env into process.env (existing variables win), as the app does.
 */
export function loadDotEnv(path = '.env') {
  if (existsSync(path)) {
    process.loadEnvFile(path)
  }
}
