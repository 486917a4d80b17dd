import type { Server, ServerOptions } from 'node:http'

/**
 * How long the edge waits for a client and how many it serves at once, so
 * idle or trickling sockets cannot use up its file descriptors. A time of 0
 * turns that limit off; `maxConnections` 0 is no cap.
 */
export interface ConnectionLimits {
  /** The request line and headers must arrive within this (else 408) */
  headersTimeoutMs: number
  /** The whole request, body included, must arrive within this (else 408) */
  requestTimeoutMs: number
  /** A keep-alive connection waiting for its next request is closed after this */
  keepAliveTimeoutMs: number
  /** A socket with no traffic either way is closed after this */
  idleTimeoutMs: number
  /** Connections open at once; one more is closed as soon as it is accepted */
  maxConnections: number
}

export const DEFAULT_CONNECTION_LIMITS: Readonly<ConnectionLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
  idleTimeoutMs: 10_000,
  maxConnections: 4000,
})

/**
 * createServer options for the limits. node:http looks for expired headers
 * and requests on a timer (every 30 s by default, which would let a 10 s
 * limit run to 40 s): a quarter of the shortest limit, 100 ms to 1 s.
 */
export function httpServerOptions(limits: ConnectionLimits): ServerOptions {
  const timeouts = [limits.headersTimeoutMs, limits.requestTimeoutMs].filter((ms) => ms > 0)
  const shortest = Math.min(...timeouts)
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(shortest / 4))),
  }
}

/**
 * The limits node:http takes as properties: the socket inactivity timeout
 * (a socket that times out is destroyed, as the server has no listener for
 * it) and the connection cap.
 */
export function limitConnections(server: Server, limits: ConnectionLimits) {
  server.timeout = limits.idleTimeoutMs
  if (limits.maxConnections > 0) {
    server.maxConnections = limits.maxConnections
  }
  return server
}
