import { KUMA_NOT_FOUND } from '#lib/kuma_push'

/**
 * Every answer the edge gives, built once: plain text (JSON on Uptime Kuma's
 * push form, as Kuma answers), never cached, open to any origin, with the
 * body limit announced (healthchecks' headers).
 */
export interface EdgeResponse {
  /** What the edge answered, as the `answer` label of ngip_edge_pings_total ('' = not a ping: /health) */
  answer: EdgeAnswer | ''
  status: number
  body: string
  headers: Readonly<Record<string, string>>
}

/** The values of the `answer` label of ngip_edge_pings_total */
export const EDGE_ANSWERS = [
  'ok',
  /** The retry of a ping Redis stored after its 503: answered OK, not stored again */
  'ok_retry',
  'created',
  'ok_rate_limited',
  'rate_limited',
  'not_found',
  'bad_request',
  'unavailable',
  'method_not_allowed',
  'preflight',
  'error',
] as const

export type EdgeAnswer = (typeof EDGE_ANSWERS)[number]

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS'

const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'

function build(
  bodyLimit: number,
  answer: EdgeAnswer | '',
  status: number,
  body: string,
  extra: Record<string, string> = {},
  contentType = TEXT
) {
  return Object.freeze({
    answer,
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
    ok: build(bodyLimit, 'ok', 200, 'OK'),
    okRetry: build(bodyLimit, 'ok_retry', 200, 'OK'),
    created: build(bodyLimit, 'created', 201, 'Created'),
    okRateLimited: build(bodyLimit, 'ok_rate_limited', 200, 'OK (rate limited)'),
    invalidUrl: build(bodyLimit, 'bad_request', 400, 'invalid url format'),
    invalidUuid: build(bodyLimit, 'bad_request', 400, 'invalid uuid format'),
    notFound: build(bodyLimit, 'not_found', 404, 'not found'),
    rateLimited: build(bodyLimit, 'rate_limited', 429, 'rate limited'),
    unavailable: build(bodyLimit, 'unavailable', 503, 'service unavailable, retry', {
      'retry-after': '1',
    }),
  }
}

export type RouteAnswers = ReturnType<typeof routeAnswers>

function kumaAnswers(bodyLimit: number): RouteAnswers {
  const json = (
    answer: EdgeAnswer,
    status: number,
    body: object,
    extra: Record<string, string> = {}
  ) => build(bodyLimit, answer, status, JSON.stringify(body), extra, JSON_TYPE)
  const refused = (answer: EdgeAnswer, status: number, msg: string) =>
    json(answer, status, { ok: false, msg })
  return {
    ok: json('ok', 200, { ok: true }),
    okRetry: json('ok_retry', 200, { ok: true }),
    created: json('created', 201, { ok: true }),
    okRateLimited: json('ok_rate_limited', 200, { ok: true, msg: 'OK (rate limited)' }),
    invalidUrl: refused('bad_request', 400, 'Invalid push URL.'),
    invalidUuid: refused('bad_request', 400, 'Invalid push URL.'),
    notFound: refused('not_found', 404, KUMA_NOT_FOUND),
    rateLimited: refused('rate_limited', 429, 'Too many pushes, slow down.'),
    unavailable: json(
      'unavailable',
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
    /** /health answers: not pings, so not counted */
    healthy: build(bodyLimit, '', 200, 'OK'),
    unhealthy: build(bodyLimit, '', 503, 'service unavailable, retry', { 'retry-after': '1' }),
    preflight: build(bodyLimit, 'preflight', 204, '', {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': '*',
      'access-control-max-age': '86400',
    }),
    methodNotAllowed: build(bodyLimit, 'method_not_allowed', 405, 'method not allowed', {
      allow: ALLOWED_METHODS,
    }),
  }
}

export type EdgeAnswers = ReturnType<typeof buildAnswers>
