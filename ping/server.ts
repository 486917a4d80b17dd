import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { handleEdgeRequest, type EdgeDeps } from './core.js'

/**
 * node:http adapter of the ping edge (the "ping" role).
 */
export function createEdgeServer(deps: EdgeDeps) {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      // Keep only what will be stored; read and drop the rest.
      if (size < deps.bodyLimit) {
        chunks.push(chunk)
      }
      size += chunk.length
    })
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://edge')
      const response = await handleEdgeRequest(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers as Record<string, string | undefined>,
          remoteAddr: req.socket.remoteAddress ?? '',
          body: chunks.length > 0 ? Buffer.concat(chunks) : null,
        },
        deps
      )
      res.writeHead(response.status, response.headers)
      res.end(req.method === 'HEAD' ? undefined : response.body)
    })
  })
}
