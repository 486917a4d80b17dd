import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { handleEdgeRequest } from './core.js'
import { loadEdgeConfig } from './config.js'
import { RedisPingStore } from './redis_store.js'

/**
 * AWS Lambda adapter of the ping edge (API Gateway HTTP API, payload 2.0).
 * The Redis connection lives across invocations of a warm container.
 */
const config = loadEdgeConfig()
let store: RedisPingStore | undefined
let coldStartDone = false

/**
 * The path as the edge knows it: a named stage ("/prod/ping/…") is not part
 * of the ping URL; the `$default` stage adds nothing.
 */
function edgePath(event: APIGatewayProxyEventV2) {
  const stage = event.requestContext.stage
  const path = event.rawPath || '/'
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) {
    return path.slice(stage.length + 1)
  }
  return path
}

function requestBody(event: APIGatewayProxyEventV2) {
  if (!event.body) {
    return null
  }
  const body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
  return body.subarray(0, config.bodyLimit)
}

export async function handler(
  event: APIGatewayProxyEventV2
): Promise<APIGatewayProxyStructuredResultV2> {
  store ??= new RedisPingStore(
    config.redis,
    config.redisTimeoutMs,
    config.redisClient,
    config.redisBusyTimeoutMs
  )
  if (!coldStartDone) {
    // A cold start waits for its first connection; later outages answer 503 at once.
    await store.ready(1000)
    coldStartDone = true
  }
  const method = event.requestContext.http.method
  const response = await handleEdgeRequest(
    {
      method,
      path: edgePath(event),
      query: new URLSearchParams(event.rawQueryString ?? ''),
      headers: event.headers ?? {},
      remoteAddr: event.requestContext.http.sourceIp ?? '',
      body: requestBody(event),
    },
    { store, bodyLimit: config.bodyLimit, rateLimit: config.rateLimit }
  )
  return {
    statusCode: response.status,
    headers: { ...response.headers },
    body: method === 'HEAD' ? '' : response.body,
    isBase64Encoded: false,
  }
}
