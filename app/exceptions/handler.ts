import app from '@adonisjs/core/services/app'
import config from '@adonisjs/core/services/config'
import router from '@adonisjs/core/services/router'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { describeFault } from '#lib/faults'
import outageLog, { faultTargets } from '#services/operations/outages'
import { ERROR_CODES, INTERNAL_ERROR_CODE, type ApiError } from '#services/api_docs/api_errors'

const SEND_KEY = 'send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>"'

/**
 * Turns any error into the API's one error shape, `{ errors: [...] }`.
 * Unexpected errors say nothing about their cause to the client.
 */
export function toApiErrors(error: any): { status: number; errors: ApiError[] } {
  let status =
    Number(error?.status) >= 400 && Number(error?.status) < 600 ? Number(error.status) : 500
  // The body parser answers 422 for a body that is not a JSON object or array.
  if (status === 422 && !Array.isArray(error?.messages)) {
    status = 400
  }
  if (status === 422) {
    const messages: { message: string; field: string; rule: string }[] = error.messages
    // Input that is valid but clashes with what exists (a slug in use) is a conflict
    if (messages.length > 0 && messages.every((item) => item.rule === 'unique')) {
      status = 409
    }
    return {
      status,
      errors: messages.map((item) => ({
        code: ERROR_CODES[status],
        message: item.message,
        field: item.field,
      })),
    }
  }
  if (status >= 500) {
    return { status, errors: [{ code: INTERNAL_ERROR_CODE, message: 'Internal server error' }] }
  }
  const code = ERROR_CODES[status] ?? (typeof error?.code === 'string' ? error.code : 'E_ERROR')
  const message =
    status === 400 && !error?.code
      ? 'Malformed JSON body'
      : status === 404 && error?.code === 'E_ROW_NOT_FOUND'
        ? 'Resource not found'
        : status === 404 && error?.code === 'E_ROUTE_NOT_FOUND'
          ? 'No such route; the routes are listed in /api/v1/openapi.json'
          : status === 413
            ? `The body is larger than the API takes (${config.get('bodyparser.json.limit')})`
            : error?.message
  return { status, errors: [{ code, message: String(message || code) }] }
}

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest

  protected renderStatusPages = true

  /**
   * Client mistakes are the client's to see, not the log's: only refused
   * keys, forbidden writes and rate limits (worth an operator's eye) and
   * server errors are reported.
   */
  protected ignoreStatuses = [400, 404, 405, 409, 413, 415, 422]

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '404': (error, { view }) => view.render('pages/errors/not_found', { error }),
    '500..599': (error, { view }) => view.render('pages/errors/server_error', { error }),
  }

  async handle(error: unknown, ctx: HttpContext) {
    if (ctx.request.url().startsWith('/api/')) {
      const allowed = this.#allowedMethods(error, ctx)
      if (allowed.length > 0) {
        ctx.response.header('Allow', allowed.join(', '))
        return ctx.response.status(405).send({
          errors: [
            {
              code: ERROR_CODES[405],
              message: `${ctx.request.method()} is not allowed here; use ${allowed.join(', ')}`,
            },
          ],
        })
      }
      const { status, errors } = toApiErrors(error)
      const limited = error as { getDefaultHeaders?: () => Record<string, unknown> }
      if (status === 429 && limited.getDefaultHeaders) {
        for (const [name, value] of Object.entries(limited.getDefaultHeaders())) {
          ctx.response.header(name, String(value))
        }
      }
      if (status === 401) {
        this.#explainUnauthorized(ctx, errors[0])
      }
      return ctx.response.status(status).send({ errors })
    }
    return super.handle(error, ctx)
  }

  /**
   * For a route that exists under other methods only, those methods: the
   * request then answers 405 with `Allow`, not 404.
   */
  #allowedMethods(error: unknown, ctx: HttpContext) {
    if ((error as { code?: string })?.code !== 'E_ROUTE_NOT_FOUND') {
      return []
    }
    const url = ctx.request.url()
    return ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].filter(
      (method) => router.match(url, method, false) !== null
    )
  }

  /**
   * A 401 says whether the key was missing or not accepted, in its message
   * and in `WWW-Authenticate` (RFC 6750).
   */
  #explainUnauthorized(ctx: HttpContext, error: ApiError) {
    const authorization = ctx.request.header('authorization') ?? ''
    const presented = authorization !== ''
    if (error.message === 'Unauthorized access') {
      error.message = !presented
        ? `An API key is required: ${SEND_KEY}`
        : /^bearer /i.test(authorization)
          ? 'The API key is not valid: mistyped, revoked, or of another installation'
          : `The key is not sent the way the API takes it: ${SEND_KEY}`
    }
    ctx.response.header(
      'WWW-Authenticate',
      presented ? 'Bearer realm="ngip", error="invalid_token"' : 'Bearer realm="ngip"'
    )
  }

  /**
   * Every reported error names the request it came from.
   */
  protected context(ctx: HttpContext) {
    return { ...super.context(ctx), method: ctx.request.method(), url: ctx.request.url() }
  }

  /**
   * A refused key, a forbidden write or a rate limit says where in its
   * message ("Unauthorized access: GET /api/v1/tokens"), not only in fields;
   * a store that is away is told by the outage log.
   */
  async report(error: unknown, ctx: HttpContext) {
    // PostgreSQL or Redis away: one line per outage, not a stack per request.
    if (describeFault(error, faultTargets())?.service) {
      outageLog().report(error, 'web')
      return
    }
    const status = Number((error as { status?: number })?.status)
    if (status >= 400 && status < 500 && this.shouldReport(error as any)) {
      const message = (error as Error).message
      ctx.logger.warn(this.context(ctx), `${message}: ${ctx.request.method()} ${ctx.request.url()}`)
      return
    }
    return super.report(error, ctx)
  }
}
