import { anyPingFilters, page, read, write } from '#services/api_docs/operation'

/**
 * Operations on Pings across Tokens and on Channels.
 */
export const pingAndChannelPaths = {
  '/pings': {
    get: read({
      id: 'listPings',
      tag: 'Pings',
      summary: 'Pings across your Tokens, newest first',
      returns: 'Ping',
      list: true,
      query: anyPingFilters,
    }),
    post: write({
      id: 'createPing',
      tag: 'Pings',
      summary: 'Record a Ping by hand',
      returns: 'Ping',
      body: 'PingInput',
      notFound: 'The Token is not found, or not yours',
      status: 201,
    }),
  },
  '/pings/{id}': {
    get: read({
      id: 'getPing',
      tag: 'Pings',
      summary: 'Read a Ping with its body',
      returns: 'Ping',
      byId: 'integer',
    }),
    delete: write({
      id: 'deletePing',
      tag: 'Pings',
      summary: 'Delete a Ping',
      status: 204,
      byId: 'integer',
    }),
  },
  '/channels': {
    get: read({
      id: 'listChannels',
      tag: 'Channels',
      summary: 'List Channels',
      returns: 'Channel',
      list: true,
      query: page,
    }),
    post: write({
      id: 'createChannel',
      tag: 'Channels',
      summary: 'Create a Channel',
      returns: 'Channel',
      body: 'ChannelInput',
      status: 201,
    }),
  },
  '/channels/{id}': {
    get: read({
      id: 'getChannel',
      tag: 'Channels',
      summary: 'Read a Channel',
      returns: 'Channel',
      byId: 'uuid',
    }),
    patch: write({
      id: 'updateChannel',
      tag: 'Channels',
      summary: 'Change a Channel (a `config` sent replaces the whole config)',
      returns: 'Channel',
      body: 'ChannelChanges',
      byId: 'uuid',
    }),
    delete: write({
      id: 'deleteChannel',
      tag: 'Channels',
      summary: 'Delete a Channel',
      status: 204,
      byId: 'uuid',
    }),
  },
}
