import { createServer } from 'node:http'

/**
 * The baseline of the edge benchmark: node:http answering "OK", nothing else.
 * Plain JavaScript, so no TypeScript loader weighs on it either.
 */
const port = Number(process.env.PORT ?? 3399)
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' })
  res.end('OK')
}).listen(port, '127.0.0.1', () => console.log(`bare server on ${port}`))
