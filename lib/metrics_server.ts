import { createServer, type Server } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { Registry } from '#lib/metrics'

export interface MetricsListenerOptions {
  host: string
  port: number
  /** The bearer token it answers (METRICS_TOKEN, as the web's /metrics) */
  token: string
}

function sameToken(given: string, token: string) {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The metrics listener of a role without a web server of its own (the edge,
 * the worker): `GET /metrics` for `Authorization: Bearer <token>` only, on a
 * port apart from the pings.
 */
export function createMetricsServer(registry: Registry, token: string): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    const header = req.headers.authorization ?? ''
    const given = /^bearer /i.test(header) ? header.slice(7).trim() : ''
    if (!given || !sameToken(given, token)) {
      res
        .writeHead(401, {
          'content-type': 'text/plain; charset=utf-8',
          'www-authenticate': 'Bearer realm="metrics"',
        })
        .end('unauthorized: send Authorization: Bearer <METRICS_TOKEN>')
      return
    }
    registry.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      () => res.writeHead(500).end('metrics failed')
    )
  })
}

/** Starts the listener; resolves with the port it got (0 asks for a free one). */
export function listenMetrics(registry: Registry, options: MetricsListenerOptions) {
  const server = createMetricsServer(registry, options.token)
  return new Promise<{ server: Server; port: number }>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      const address = server.address()
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 })
    })
  })
}
