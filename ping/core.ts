import type { PingMessage } from '#lib/ping_message'
import { cleanText, FIELD_LIMITS } from '#lib/ping_message'
import { parsePingUrl, type PingRoute, type PingTarget } from '#lib/ping_url'
import { isKumaPush, kumaPingMs } from '#lib/kuma_push'
import { buildAnswers, type EdgeAnswers, type EdgeResponse, type RouteAnswers } from './answers.js'

export type { EdgeResponse } from './answers.js'

/**
 * The ping edge as one function from request to answer. The node:http server
 * and the Lambda handler are thin adapters around it.
 */
export interface EdgeRequest {
  method: string
  /** Path without the query string */
  path: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  /** The client's address as the adapter sees it (proxy headers applied) */
  remoteAddr: string
  body: Buffer | null
}

/**
 * What became of a ping: `created` = its Token was provisioned by this very
 * ping; `stored_before` = the retry of a ping Redis stored after answering it
 * 503 (not stored again).
 */
export type AcceptResult = 'accepted' | 'stored_before' | 'created' | 'limited' | 'unknown'

export interface AcceptOptions {
  /** Pings a minute per Token; 0 = no limit */
  rateLimit: number
}

/**
 * Where accepted pings go. `accept` throws when the store is unreachable.
 */
export interface PingStore {
  accept(
    target: PingTarget,
    message: Omit<PingMessage, 'token'>,
    options: AcceptOptions
  ): Promise<AcceptResult>
  isHealthy(): Promise<boolean>
}

export interface EdgeDeps {
  store: PingStore
  bodyLimit: number
  rateLimit?: number
  now?: () => number
}

const answersByLimit = new Map<number, EdgeAnswers>()

function answersFor(bodyLimit: number) {
  let answers = answersByLimit.get(bodyLimit)
  if (!answers) {
    answers = buildAnswers(bodyLimit)
    answersByLimit.set(bodyLimit, answers)
  }
  return answers
}

function header(req: EdgeRequest, name: string) {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function toMessage(req: EdgeRequest, route: PingRoute, deps: EdgeDeps, kuma: boolean) {
  let body = req.body && req.body.length > 0 ? req.body.subarray(0, deps.bodyLimit) : null
  if (!body && route.message) {
    body = Buffer.from(route.message).subarray(0, deps.bodyLimit)
  }
  const target = route.target
  return {
    action: route.action,
    at: (deps.now ?? Date.now)(),
    method: req.method,
    remoteAddr: cleanText(req.remoteAddr, FIELD_LIMITS.remoteAddr),
    userAgent: cleanText(header(req, 'user-agent'), FIELD_LIMITS.userAgent),
    exitStatus: route.exitStatus,
    rid: route.rid,
    body,
    create: route.create && target.kind === 'slug' ? target : null,
    durationMs: kuma ? kumaPingMs(req.query) : null,
    snoozeMinutes: route.snoozeMinutes,
  }
}

function answerFor(result: AcceptResult, route: PingRoute, answers: RouteAnswers) {
  switch (result) {
    case 'accepted':
      return answers.ok
    case 'stored_before':
      return answers.okRetry
    case 'created':
      return answers.created
    case 'unknown':
      return answers.notFound
    case 'limited':
      // healthchecks keeps 200 for UUID URLs so old clients never retry in a loop.
      return route.target.kind === 'slug' ? answers.rateLimited : answers.okRateLimited
  }
}

async function health(deps: EdgeDeps, answers: EdgeAnswers) {
  const healthy = await deps.store.isHealthy().catch(() => false)
  return healthy ? answers.healthy : answers.unhealthy
}

export async function handleEdgeRequest(req: EdgeRequest, deps: EdgeDeps): Promise<EdgeResponse> {
  const answers = answersFor(deps.bodyLimit)
  const method = req.method
  if (method === 'OPTIONS') {
    return answers.preflight
  }
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    return answers.methodNotAllowed
  }
  if (req.path === '/health') {
    return health(deps, answers)
  }
  const kuma = isKumaPush(req.path)
  const routeAnswers = kuma ? answers.kuma : answers
  const parsed = parsePingUrl(req.path, req.query)
  if (parsed.error === 'not_found') {
    return routeAnswers.notFound
  }
  if (parsed.error) {
    return parsed.error === 'invalid_uuid' ? routeAnswers.invalidUuid : routeAnswers.invalidUrl
  }
  const route = parsed.route
  try {
    const result = await deps.store.accept(route.target, toMessage(req, route, deps, kuma), {
      rateLimit: deps.rateLimit ?? 0,
    })
    return answerFor(result, route, routeAnswers)
  } catch {
    return routeAnswers.unavailable
  }
}
