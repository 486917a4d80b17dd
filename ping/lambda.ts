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

export async function handler(
  event: APIGatewayProxyEventV2
): Promise<APIGatewayProxyStructuredResultV2> {
  store ??= new RedisPingStore(config.redis)
  const raw = event.body ?? null
  const body = raw === null ? null : Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8')
  const response = await handleEdgeRequest(
    {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: new URLSearchParams(event.rawQueryString ?? ''),
      headers: event.headers ?? {},
      remoteAddr: event.requestContext.http.sourceIp,
      body,
    },
    { store, bodyLimit: config.bodyLimit }
  )
  return {
    statusCode: response.status,
    headers: response.headers,
    body: event.requestContext.http.method === 'HEAD' ? '' : response.body,
  }
}
