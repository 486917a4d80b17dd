import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { keyAccess, reach } from '#services/projects/project_access'

/** Largest JSON body the v3 API reads (healthchecks' own limit is Django's, 2.5 MB) */
const MAX_BODY_BYTES = 1_000_000

/** healthchecks' CORS answer, so a dashboard in a browser may call the API */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'X-Api-Key',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Max-Age': '600',
}

class BodyTooLarge extends Error {}

/** The raw body, whatever its Content-Type: healthchecks reads every POST body as JSON. */
async function readBody(ctx: HttpContext): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.request.request) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      throw new BodyTooLarge()
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The JSON object of a POST body, `{}` without one, or the answer to a bad one. */
async function jsonBody(ctx: HttpContext): Promise<Record<string, unknown> | string> {
  if (ctx.request.method() !== 'POST') {
    return {}
  }
  const raw = await readBody(ctx)
  if (raw === '') {
    return {}
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return 'could not parse request body'
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'json validation error: value is not an object'
  }
  return parsed as Record<string, unknown>
}

/**
 * Authentication of the Management API v3, as healthchecks does it: the key
 * in `X-Api-Key` or, for a POST, as `api_key` in the JSON body. Endpoints that
 * write, and those healthchecks keeps from read-only keys (pings, channels),
 * take `{ access: 'write' }`: a read-only key is then a wrong key (401). The
 * answers are healthchecks' `{"error": "..."}`.
 */
export default class ApiV3Middleware {
  async handle(ctx: HttpContext, next: NextFn, options: { access?: 'read' | 'write' } = {}) {
    const { response } = ctx
    for (const [name, value] of Object.entries(CORS_HEADERS)) {
      response.header(name, value)
    }
    let body: Record<string, unknown> | string
    try {
      body = await jsonBody(ctx)
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return response.status(413).json({ error: 'request body is too large' })
      }
      throw error
    }
    if (typeof body === 'string') {
      return response.status(400).json({ error: body })
    }
    ctx.request.updateBody(body)

    const headers = ctx.request.request.headers
    const header = headers['x-api-key']
    const key =
      typeof header === 'string'
        ? header
        : options.access === 'write' && 'api_key' in body
          ? String(body.api_key)
          : ''
    if (key === '') {
      return response.status(401).json({ error: 'missing api key' })
    }
    headers.authorization = `Bearer ${key}`
    const user = await ctx.auth.authenticateUsing(['api']).catch(() => undefined)
    const allowed =
      user &&
      !user.isDisabled &&
      (options.access !== 'write' || user.currentAccessToken?.allows('write'))
    // A key reaches the Project it was made in, while its User is a member there.
    const access = allowed
      ? await keyAccess(user.id, Number(user.currentAccessToken!.identifier))
      : null
    if (!access) {
      return response.status(401).json({ error: 'wrong api key' })
    }
    if (
      options.access === 'write' &&
      ctx.request.method() !== 'GET' &&
      !reach(access, access.projectId, 'update')
    ) {
      // A read-only member's key reads what a read-only key reads, and writes nothing.
      return response.status(401).json({ error: 'wrong api key' })
    }
    ctx.access = access
    return next()
  }
}
