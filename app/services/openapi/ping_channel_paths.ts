import { operation, page, pingFilters } from '#services/openapi/operation'

/**
 * Operations on Pings across Tokens and on Channels.
 */
export const pingAndChannelPaths = {
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
