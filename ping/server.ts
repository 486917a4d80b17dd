import { isIP } from 'node:net'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { handleEdgeRequest, type EdgeDeps, type EdgeRequest } from './core.js'
import {
  DEFAULT_CONNECTION_LIMITS,
  httpServerOptions,
  limitConnections,
  type ConnectionLimits,
} from './connection_limits.js'

export interface ServerOptions {
  /** Take the client address from X-Forwarded-For (as healthchecks does) */
  trustProxy?: boolean
  /** Timeouts and cap of client connections (defaults: DEFAULT_CONNECTION_LIMITS) */
  connections?: ConnectionLimits
}

const NO_QUERY = new URLSearchParams()

/**
 * The client address: the first X-Forwarded-For hop when trusted and valid.
 */
function remoteAddr(req: IncomingMessage, trustProxy: boolean) {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined
  if (typeof forwarded === 'string') {
    const first = forwarded.split(',', 1)[0].trim()
    if (isIP(first)) {
      return first
    }
  }
  return req.socket.remoteAddress ?? ''
}

/**
 * Path and query of the request target; an absolute-form target (from a
 * proxy) is read like its origin form.
 */
function target(url: string): { path: string; query: URLSearchParams } {
  if (url[0] !== '/') {
    try {
      const parsed = new URL(url)
      return { path: parsed.pathname, query: parsed.searchParams }
    } catch {
      return { path: '', query: NO_QUERY }
    }
  }
  const q = url.indexOf('?')
  return q < 0
    ? { path: url, query: NO_QUERY }
    : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) }
}

function toEdgeRequest(req: IncomingMessage, body: Buffer | null, trustProxy: boolean) {
  const edgeRequest: EdgeRequest = {
    method: req.method ?? 'GET',
    ...target(req.url ?? '/'),
    headers: req.headers,
    remoteAddr: remoteAddr(req, trustProxy),
    body,
  }
  return edgeRequest
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  deps: EdgeDeps,
  body: Buffer | null,
  trustProxy: boolean
) {
  const response = await handleEdgeRequest(toEdgeRequest(req, body, trustProxy), deps)
  res.writeHead(response.status, response.headers)
  res.end(req.method === 'HEAD' || response.status === 204 ? undefined : response.body)
}

/** A bug must cost one request, never the process that serves all pings. */
function answerSafely(...args: Parameters<typeof answer>) {
  const res = args[1]
  answer(...args).catch(() => {
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
    }
    res.end('internal error')
  })
}

/**
 * node:http adapter of the ping edge (the "ping" role). A body is read up to
 * the limit and the rest drained, so a huge upload is cut, never refused;
 * slow, idle and surplus connections are closed (see ConnectionLimits).
 */
export function createEdgeServer(deps: EdgeDeps, options: ServerOptions = {}) {
  const trustProxy = options.trustProxy ?? true
  const limits = options.connections ?? DEFAULT_CONNECTION_LIMITS
  const server = createServer(httpServerOptions(limits), (req, res) => {
    if (
      req.headers['content-length'] === undefined &&
      req.headers['transfer-encoding'] === undefined
    ) {
      // No body: answer without waiting for the end of the stream.
      req.on('error', () => {})
      req.resume()
      answerSafely(req, res, deps, null, trustProxy)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      if (size < deps.bodyLimit) {
        chunks.push(chunk)
      }
      size += chunk.length
    })
    req.on('error', () => res.destroy())
    req.on('end', () => {
      answerSafely(req, res, deps, chunks.length > 0 ? Buffer.concat(chunks) : null, trustProxy)
    })
  })
  return limitConnections(server, limits)
}
