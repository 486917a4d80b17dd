import { pageValidator } from '#validators/page'
import { listPingsValidator } from '#validators/ping'
import { queryParameters } from '#services/api_docs/request_schema'

/**
 * Operations of the OpenAPI document, built from a compact description so
 * every operation gets the same error responses and parameters.
 */
export interface OperationSpec {
  id: string
  tag: 'Tokens' | 'Pings' | 'Channels' | 'Account'
  summary: string
  /** Schema of the answer's `data`; a list when `list` is set */
  returns?: string
  list?: boolean
  body?: string
  query?: Record<string, Record<string, unknown>>
  status?: 200 | 201 | 204
  /** A second success answer: 200 with this description, next to a 201 */
  alsoOk?: string
  /** When the operation answers 409, and why */
  conflict?: string
  /** Why an operation without an id in its path can answer 404 */
  notFound?: string
  byId?: 'uuid' | 'integer'
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const errors = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Errors') } },
})
/** A page of a list */
export const page = queryParameters(pageValidator)
/** Filters of one Token's Pings: the Token is the path's */
export const pingFilters = queryParameters(listPingsValidator, ['token'])
/** Filters of Pings across Tokens */
export const anyPingFilters = queryParameters(listPingsValidator)

/** The request body limit of config/bodyparser.ts */
export const BODY_LIMIT = '100 KB'

const rateLimitHeaders = {
  'X-RateLimit-Limit': {
    description: 'Requests a minute this API key may make',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current minute',
    schema: { type: 'integer' },
  },
}

function success(spec: OperationSpec) {
  if (spec.status === 204) {
    return { 204: { description: 'Done' } }
  }
  const data = spec.list ? { type: 'array', items: ref(spec.returns!) } : ref(spec.returns!)
  const properties = spec.list ? { data, meta: ref('PageMeta') } : { data }
  const ok = {
    description: 'OK',
    headers: rateLimitHeaders,
    content: { 'application/json': { schema: { type: 'object', required: ['data'], properties } } },
  }
  if (spec.status === 201) {
    return {
      ...(spec.alsoOk ? { 200: { ...ok, description: spec.alsoOk } } : {}),
      201: { ...ok, description: 'Created' },
    }
  }
  return { 200: ok }
}

/**
 * The error answers an operation can give: every one can be unauthorised
 * or rate limited; only writes can be refused to read-only keys or carry a
 * body that is malformed, too large or not JSON; what takes a path id or a
 * query can get a NUL or broken encoding there; only what names something
 * can miss it; only what takes input can find it invalid.
 */
function failures(spec: OperationSpec, write: boolean) {
  const notFound = spec.byId ? 'Not found, or not yours' : spec.notFound
  return {
    ...badRequest(spec, write),
    401: errors('Missing or unknown API key (see WWW-Authenticate)'),
    ...(write ? { 403: errors('A read-only API key tried to write') } : {}),
    ...(notFound ? { 404: errors(notFound) } : {}),
    ...(spec.conflict ? { 409: errors(spec.conflict) } : {}),
    ...(write ? { 413: errors(`Body larger than ${BODY_LIMIT}`) } : {}),
    ...(write
      ? { 415: errors('A body that is not JSON (send Content-Type: application/json)') }
      : {}),
    ...(spec.body || spec.query
      ? { 422: errors('Invalid input; each error names its field') }
      : {}),
    429: {
      ...errors('Too many requests for this API key'),
      headers: {
        'Retry-After': {
          description: 'Seconds until the key may call again',
          schema: { type: 'integer' },
        },
        ...rateLimitHeaders,
      },
    },
  }
}

/** Input the router or ApiInputMiddleware refuses before any validator sees it */
const BAD_ENCODING = 'a NUL character, or a path that is not valid percent-encoded UTF-8'

/** 400: a malformed body (writes), or bad characters in the path or query (anything with input) */
function badRequest(spec: OperationSpec, write: boolean) {
  if (write) {
    return { 400: errors(`Malformed JSON, a body that is not a JSON object, or ${BAD_ENCODING}`) }
  }
  return spec.byId || spec.query ? { 400: errors(`Input with ${BAD_ENCODING}`) } : {}
}

/** An operation that only reads */
export const read = (spec: OperationSpec) => operation(spec, false)
/** An operation that changes something: read-only API keys get 403 */
export const write = (spec: OperationSpec) => operation(spec, true)

function operation(spec: OperationSpec, isWrite: boolean) {
  const parameters = [
    ...(spec.byId
      ? [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: {
              type: spec.byId === 'uuid' ? 'string' : 'integer',
              ...(spec.byId === 'uuid' ? { format: 'uuid' } : {}),
            },
          },
        ]
      : []),
    ...Object.entries(spec.query ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema,
    })),
  ]
  return {
    operationId: spec.id,
    tags: [spec.tag],
    summary: spec.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(spec.body) } },
          },
        }
      : {}),
    responses: { ...success(spec), ...failures(spec, isWrite) },
  }
}
