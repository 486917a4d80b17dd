/**
 * Every answer the edge gives, built once: plain text, never cached, open to
 * any origin, with the body limit announced (healthchecks' headers).
 */
export interface EdgeResponse {
  status: number
  body: string
  headers: Readonly<Record<string, string>>
}

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS'

function build(
  bodyLimit: number,
  status: number,
  body: string,
  extra: Record<string, string> = {}
) {
  return Object.freeze({
    status,
    body,
    headers: Object.freeze({
      'content-type': 'text/plain; charset=utf-8',
      // A 204 carries no body and so no length (RFC 9110).
      ...(status === 204 ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      'cache-control': 'no-cache, no-store, must-revalidate, max-age=0',
      'access-control-allow-origin': '*',
      'ping-body-limit': String(bodyLimit),
      ...extra,
    }),
  })
}

export function buildAnswers(bodyLimit: number) {
  return {
    ok: build(bodyLimit, 200, 'OK'),
    created: build(bodyLimit, 201, 'Created'),
    okRateLimited: build(bodyLimit, 200, 'OK (rate limited)'),
    preflight: build(bodyLimit, 204, '', {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': '*',
      'access-control-max-age': '86400',
    }),
    invalidUrl: build(bodyLimit, 400, 'invalid url format'),
    invalidUuid: build(bodyLimit, 400, 'invalid uuid format'),
    notFound: build(bodyLimit, 404, 'not found'),
    methodNotAllowed: build(bodyLimit, 405, 'method not allowed', { allow: ALLOWED_METHODS }),
    rateLimited: build(bodyLimit, 429, 'rate limited'),
    unavailable: build(bodyLimit, 503, 'service unavailable, retry', { 'retry-after': '1' }),
  } satisfies Record<string, EdgeResponse>
}

export type EdgeAnswers = ReturnType<typeof buildAnswers>
