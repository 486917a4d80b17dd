/**
 * Operations of the OpenAPI document, built from a compact description so
 * every operation gets the same error responses and parameters.
 */
interface OperationSpec {
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
const page = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  cursor: { type: 'string', description: 'The next_cursor of the previous page' },
}
const pingFilters = {
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

function operation(spec: OperationSpec) {
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

export const paths = {
  '/tokens': {
    get: operation({
      id: 'listTokens',
      tag: 'Tokens',
      summary: 'List Tokens',
      returns: 'Token',
      list: true,
      query: {
        status: { type: 'string', enum: ['new', 'up', 'grace', 'down', 'paused', 'started'] },
        tag: { type: 'string' },
        q: { type: 'string', description: 'Search in name and slug' },
        ...page,
      },
    }),
    post: operation({
      id: 'createToken',
      tag: 'Tokens',
      summary: 'Create a Token (200 with `unique` and a match)',
      returns: 'Token',
      body: 'TokenInput',
      status: 201,
    }),
  },
  '/tokens/{id}': {
    get: operation({
      id: 'getToken',
      tag: 'Tokens',
      summary: 'Read a Token',
      returns: 'Token',
      byId: 'uuid',
    }),
    patch: operation({
      id: 'updateToken',
      tag: 'Tokens',
      summary: 'Change a Token',
      returns: 'Token',
      body: 'TokenChanges',
      byId: 'uuid',
    }),
    delete: operation({
      id: 'deleteToken',
      tag: 'Tokens',
      summary: 'Delete a Token and its history',
      status: 204,
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/pause': {
    post: operation({
      id: 'pauseToken',
      tag: 'Tokens',
      summary: 'Pause a Token',
      returns: 'Token',
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/resume': {
    post: operation({
      id: 'resumeToken',
      tag: 'Tokens',
      summary: 'Resume a paused Token',
      returns: 'Token',
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/pings': {
    get: operation({
      id: 'listTokenPings',
      tag: 'Tokens',
      summary: "A Token's Pings, newest first",
      returns: 'Ping',
      list: true,
      byId: 'uuid',
      query: pingFilters,
    }),
  },
  '/tokens/{id}/flips': {
    get: operation({
      id: 'listTokenFlips',
      tag: 'Tokens',
      summary: "A Token's Flips, newest first",
      returns: 'Flip',
      list: true,
      byId: 'uuid',
      query: page,
    }),
  },
  '/pings': {
    get: operation({
      id: 'listPings',
      tag: 'Pings',
      summary: 'Pings across your Tokens, newest first',
      returns: 'Ping',
      list: true,
      query: pingFilters,
    }),
    post: operation({
      id: 'createPing',
      tag: 'Pings',
      summary: 'Record a Ping by hand',
      returns: 'Ping',
      body: 'PingInput',
      status: 201,
    }),
  },
  '/pings/{id}': {
    get: operation({
      id: 'getPing',
      tag: 'Pings',
      summary: 'Read a Ping with its body',
      returns: 'Ping',
      byId: 'integer',
    }),
    delete: operation({
      id: 'deletePing',
      tag: 'Pings',
      summary: 'Delete a Ping',
      status: 204,
      byId: 'integer',
    }),
  },
  '/channels': {
    get: operation({
      id: 'listChannels',
      tag: 'Channels',
      summary: 'List Channels',
      returns: 'Channel',
      list: true,
      query: page,
    }),
    post: operation({
      id: 'createChannel',
      tag: 'Channels',
      summary: 'Create a Channel',
      returns: 'Channel',
      body: 'ChannelInput',
      status: 201,
    }),
  },
  '/channels/{id}': {
    get: operation({
      id: 'getChannel',
      tag: 'Channels',
      summary: 'Read a Channel',
      returns: 'Channel',
      byId: 'uuid',
    }),
    patch: operation({
      id: 'updateChannel',
      tag: 'Channels',
      summary: 'Change a Channel',
      returns: 'Channel',
      body: 'ChannelChanges',
      byId: 'uuid',
    }),
    delete: operation({
      id: 'deleteChannel',
      tag: 'Channels',
      summary: 'Delete a Channel',
      status: 204,
      byId: 'uuid',
    }),
  },
}
