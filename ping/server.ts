import { isIP, type Socket } from 'node:net'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressMatcher, cidrMatcher, matchesNothing } from '#lib/cidr'
import type { EdgeAnswer } from './answers.js'
import { handleEdgeRequest, type EdgeDeps, type EdgeRequest } from './core.js'
import {
  DEFAULT_CONNECTION_LIMITS,
  httpServerOptions,
  limitConnections,
  type ConnectionLimits,
} from './connection_limits.js'

export interface ServerOptions {
  /** Proxies whose X-Forwarded-For names the client (none by default) */
  trustedProxies?: AddressMatcher
  /** Timeouts and cap of client connections (defaults: DEFAULT_CONNECTION_LIMITS) */
  connections?: ConnectionLimits
  /** Told every answer given (the edge's ngip_edge_pings_total) */
  onAnswer?: (answer: EdgeAnswer | '') => void
}

const NO_QUERY = new URLSearchParams()

/** Whether a connection comes from a trusted proxy: matched once per connection. */
const fromProxy = new WeakMap<Socket, boolean>()

function isProxy(socket: Socket, trusted: AddressMatcher) {
  let known = fromProxy.get(socket)
  if (known === undefined) {
    known = trusted(socket.remoteAddress ?? '')
    fromProxy.set(socket, known)
  }
  return known
}

/**
 * The client address: the connection's, or, when that is a trusted proxy, the
 * X-Forwarded-For hops read from the right up to the first one that is not a
 * trusted proxy (as the app's proxy-addr does). A hop that is not an address
 * ends the walk.
 */
function remoteAddr(req: IncomingMessage, trusted: AddressMatcher | null) {
  const own = req.socket.remoteAddress ?? ''
  const forwarded = req.headers['x-forwarded-for']
  if (!trusted || typeof forwarded !== 'string' || !isProxy(req.socket, trusted)) {
    return own
  }
  const hops = forwarded.split(',')
  let address = own
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i].trim()
    if (!isIP(hop)) {
      break
    }
    address = hop
    if (!trusted(hop)) {
      break
    }
  }
  return address
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

function toEdgeRequest(req: IncomingMessage, body: Buffer | null, trusted: AddressMatcher | null) {
  const edgeRequest: EdgeRequest = {
    method: req.method ?? 'GET',
    ...target(req.url ?? '/'),
    headers: req.headers,
    remoteAddr: remoteAddr(req, trusted),
    body,
  }
  return edgeRequest
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  deps: EdgeDeps,
  body: Buffer | null,
  trusted: AddressMatcher | null,
  onAnswer?: ServerOptions['onAnswer']
) {
  const response = await handleEdgeRequest(toEdgeRequest(req, body, trusted), deps)
  onAnswer?.(response.answer)
  res.writeHead(response.status, response.headers)
  res.end(req.method === 'HEAD' || response.status === 204 ? undefined : response.body)
}

/** A bug must cost one request, never the process that serves all pings. */
function answerSafely(...args: Parameters<typeof answer>) {
  const res = args[1]
  answer(...args).catch(() => {
    args[5]?.('error')
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
  const matcher = options.trustedProxies ?? cidrMatcher('')
  // No trusted proxy (the default): X-Forwarded-For is never even read.
  const trusted = matchesNothing(matcher) ? null : matcher
  const limits = options.connections ?? DEFAULT_CONNECTION_LIMITS
  const onAnswer = options.onAnswer
  const server = createServer(httpServerOptions(limits), (req, res) => {
    if (
      req.headers['content-length'] === undefined &&
      req.headers['transfer-encoding'] === undefined
    ) {
      // No body: answer without waiting for the end of the stream.
      req.on('error', () => {})
      req.resume()
      answerSafely(req, res, deps, null, trusted, onAnswer)
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
      const body = chunks.length > 0 ? Buffer.concat(chunks) : null
      answerSafely(req, res, deps, body, trusted, onAnswer)
    })
  })
  return limitConnections(server, limits)
}
