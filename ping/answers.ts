import { KUMA_NOT_FOUND } from '#lib/kuma_push'

/**
 * Every answer the edge gives, built once: plain text (JSON on Uptime Kuma's
 * push form, as Kuma answers), never cached, open to any origin, with the
 * body limit announced (healthchecks' headers).
 */
export interface EdgeResponse {
  status: number
  body: string
  headers: Readonly<Record<string, string>>
}

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS'

const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'

function build(
  bodyLimit: number,
  status: number,
  body: string,
  extra: Record<string, string> = {},
  contentType = TEXT
) {
  return Object.freeze({
    status,
    body,
    headers: Object.freeze({
      'content-type': contentType,
      // A 204 carries no body and so no length (RFC 9110).
      ...(status === 204 ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      'cache-control': 'no-cache, no-store, must-revalidate, max-age=0',
      'access-control-allow-origin': '*',
      'ping-body-limit': String(bodyLimit),
      ...extra,
    }),
  })
}

/**
 * The answers a ping route can get, once as healthchecks words them and once
 * as Uptime Kuma does for its push form.
 */
function routeAnswers(bodyLimit: number) {
  return {
    ok: build(bodyLimit, 200, 'OK'),
    created: build(bodyLimit, 201, 'Created'),
    okRateLimited: build(bodyLimit, 200, 'OK (rate limited)'),
    invalidUrl: build(bodyLimit, 400, 'invalid url format'),
    invalidUuid: build(bodyLimit, 400, 'invalid uuid format'),
    notFound: build(bodyLimit, 404, 'not found'),
    rateLimited: build(bodyLimit, 429, 'rate limited'),
    unavailable: build(bodyLimit, 503, 'service unavailable, retry', { 'retry-after': '1' }),
  }
}

export type RouteAnswers = ReturnType<typeof routeAnswers>

function kumaAnswers(bodyLimit: number): RouteAnswers {
  const json = (status: number, body: object, extra: Record<string, string> = {}) =>
    build(bodyLimit, status, JSON.stringify(body), extra, JSON_TYPE)
  const refused = (status: number, msg: string) => json(status, { ok: false, msg })
  return {
    ok: json(200, { ok: true }),
    created: json(201, { ok: true }),
    okRateLimited: json(200, { ok: true, msg: 'OK (rate limited)' }),
    invalidUrl: refused(400, 'Invalid push URL.'),
    invalidUuid: refused(400, 'Invalid push URL.'),
    notFound: refused(404, KUMA_NOT_FOUND),
    rateLimited: refused(429, 'Too many pushes, slow down.'),
    unavailable: json(
      503,
      { ok: false, msg: 'Service unavailable, retry.' },
      { 'retry-after': '1' }
    ),
  }
}

export function buildAnswers(bodyLimit: number) {
  return {
    ...routeAnswers(bodyLimit),
    kuma: kumaAnswers(bodyLimit),
    preflight: build(bodyLimit, 204, '', {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': '*',
      'access-control-max-age': '86400',
    }),
    methodNotAllowed: build(bodyLimit, 405, 'method not allowed', { allow: ALLOWED_METHODS }),
  }
}

export type EdgeAnswers = ReturnType<typeof buildAnswers>
