import { operation, page, pingFilters } from '#services/openapi/operation'

/**
 * Operations on Tokens and their history.
 */
export const tokenPaths = {
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
}
