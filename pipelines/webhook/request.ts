import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'

/** A short answer: a status and one line of text for GitHub's delivery log. */
export interface Answer {
  status: number
  message: string
}

export interface WebhookRequest {
  /** Header names in lower case. */
  headers: Record<string, string>
  /** The body exactly as GitHub signed it. */
  body: Buffer
}

export function answer(status: number, message: string): Answer {
  return { status, message }
}

/**
 * The raw body and headers of an API Gateway (payload 2.0) event, or the
 * answer to a body that is too large.
 */
export function readRequest(event: APIGatewayProxyEventV2, limit: number): WebhookRequest | Answer {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) {
      headers[name.toLowerCase()] = value
    }
  }
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8')
  if (body.length > limit) {
    return answer(413, `body larger than ${limit} bytes`)
  }
  return { headers, body }
}

export function toResult(reply: Answer): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: reply.status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `${reply.message}\n`,
    isBase64Encoded: false,
  }
}
