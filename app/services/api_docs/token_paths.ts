import { page, pingFilters, read, write } from '#services/api_docs/operation'
import { queryParameters } from '#services/api_docs/request_schema'
import { listTokensValidator } from '#validators/token'

/**
 * Operations on Tokens and their history.
 */
export const tokenPaths = {
  '/tokens': {
    get: read({
      id: 'listTokens',
      tag: 'Tokens',
      summary: 'List Tokens',
      returns: 'Token',
      list: true,
      query: queryParameters(listTokensValidator),
    }),
    post: write({
      id: 'createToken',
      tag: 'Tokens',
      summary: 'Create a Token (200 with `unique` and a match)',
      returns: 'Token',
      body: 'TokenInput',
      status: 201,
      alsoOk: 'An existing Token matched `unique`; it is returned unchanged',
      conflict: 'The slug names another of your Tokens',
    }),
  },
  '/tokens/{id}': {
    get: read({
      id: 'getToken',
      tag: 'Tokens',
      summary: 'Read a Token',
      returns: 'Token',
      byId: 'uuid',
    }),
    patch: write({
      id: 'updateToken',
      tag: 'Tokens',
      summary: 'Change a Token',
      returns: 'Token',
      body: 'TokenChanges',
      conflict: 'The slug names another of your Tokens',
      byId: 'uuid',
    }),
    delete: write({
      id: 'deleteToken',
      tag: 'Tokens',
      summary: 'Delete a Token and its history',
      status: 204,
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/pause': {
    post: write({
      id: 'pauseToken',
      tag: 'Tokens',
      summary: 'Pause a Token',
      returns: 'Token',
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/resume': {
    post: write({
      id: 'resumeToken',
      tag: 'Tokens',
      summary: 'Resume a paused Token',
      returns: 'Token',
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/snooze': {
    post: write({
      id: 'snoozeToken',
      tag: 'Tokens',
      summary:
        'Open an ad hoc maintenance window: Flips inside it notify nobody, and the Token is judged again when it ends',
      returns: 'Token',
      body: 'Snooze',
      byId: 'uuid',
    }),
  },
  '/tokens/{id}/pings': {
    get: read({
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
    get: read({
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
