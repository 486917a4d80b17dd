import type { PingMessage } from '#lib/ping_message'

/**
 * The ping edge as one function from request to answer. The node:http server
 * and the Lambda handler are thin adapters around it.
 */
export interface EdgeRequest {
  method: string
  /** Path without the query string */
  path: string
  query: URLSearchParams
  headers: Record<string, string | undefined>
  remoteAddr: string
  body: Buffer | null
}

export interface EdgeResponse {
  status: number
  body: string
  headers: Record<string, string>
}

/**
 * Where accepted pings go. `accept` resolves "unknown" for a Token that does
 * not exist and throws when the store is unreachable.
 */
export interface PingStore {
  accept(message: PingMessage): Promise<'accepted' | 'unknown'>
  isHealthy(): Promise<boolean>
}

export interface EdgeDeps {
  store: PingStore
  bodyLimit: number
  now?: () => number
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function answer(status: number, body: string, deps: EdgeDeps): EdgeResponse {
  return {
    status,
    body,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-cache, no-store',
      'access-control-allow-origin': '*',
      'ping-body-limit': String(deps.bodyLimit),
    },
  }
}

export async function handleEdgeRequest(req: EdgeRequest, deps: EdgeDeps): Promise<EdgeResponse> {
  if (req.path === '/health') {
    const healthy = await deps.store.isHealthy().catch(() => false)
    return healthy ? answer(200, 'OK', deps) : answer(503, 'redis unavailable', deps)
  }

  const match = /^\/ping\/([^/]+)$/.exec(req.path)
  if (!match) {
    return answer(404, 'not found', deps)
  }
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
    return answer(405, 'method not allowed', deps)
  }
  const token = match[1]
  if (!UUID_RE.test(token)) {
    return answer(404, 'not found', deps)
  }

  const message: PingMessage = {
    token,
    action: 'success',
    at: (deps.now ?? Date.now)(),
    method: req.method,
    remoteAddr: req.remoteAddr,
    userAgent: (req.headers['user-agent'] ?? '').slice(0, 200),
    exitStatus: null,
    rid: null,
    body: req.body && req.body.length > 0 ? req.body.subarray(0, deps.bodyLimit) : null,
  }

  try {
    const result = await deps.store.accept(message)
    return result === 'accepted' ? answer(200, 'OK', deps) : answer(404, 'not found', deps)
  } catch {
    return answer(503, 'service unavailable, retry', deps)
  }
}
