/**
 * Operations of the OpenAPI document, built from a compact description so
 * every operation gets the same error responses and parameters.
 */
export interface OperationSpec {
  id: string
  tag: 'Tokens' | 'Pings' | 'Channels'
  summary: string
  /** Schema of the answer's `data`; a list when `list` is set */
  returns?: string
  list?: boolean
  body?: string
  query?: Record<string, Record<string, unknown>>
  status?: 200 | 201 | 204
  byId?: 'uuid' | 'integer'
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const errors = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Errors') } },
})
export const page = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  cursor: { type: 'string', description: 'The next_cursor of the previous page' },
}
export const pingFilters = {
  token: { type: 'string', format: 'uuid' },
  kind: { type: 'string', enum: ['success', 'start', 'fail', 'log', 'ign'] },
  since: { type: 'string', format: 'date-time' },
  until: { type: 'string', format: 'date-time' },
  ...page,
}

function success(spec: OperationSpec) {
  if (spec.status === 204) {
    return { 204: { description: 'Done' } }
  }
  const data = spec.list ? { type: 'array', items: ref(spec.returns!) } : ref(spec.returns!)
  const properties = spec.list ? { data, meta: ref('PageMeta') } : { data }
  const ok = {
    description: 'OK',
    content: { 'application/json': { schema: { type: 'object', required: ['data'], properties } } },
  }
  return spec.status === 201 ? { 201: { ...ok, description: 'Created' } } : { 200: ok }
}

export function operation(spec: OperationSpec) {
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
    responses: {
      ...success(spec),
      400: errors('Malformed JSON'),
      401: errors('Missing or unknown API key'),
      403: errors('A read-only API key tried to write'),
      404: errors('Not found, or not yours'),
      422: errors('Invalid input; each error names its field'),
      429: errors('Too many requests for this API key; see Retry-After'),
    },
  }
}
