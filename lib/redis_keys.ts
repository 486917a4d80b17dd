/**
 * Redis key names shared by the ping edge (ping/) and the app. Neither side
 * imports the other; both import this file.
 */
export const redisKeys = {
  /** Set of the UUIDs of every Token that accepts pings. */
  tokens: 'ngip:tokens',
  /** Hash of "<ping_key>/<slug>" to Token UUID, for the slug ping form. */
  slugs: 'ngip:slugs',
  /** Stream of accepted pings, drained by the worker. */
  pings: 'ngip:pings',
  /** Consumer group of the ingest workers on the pings stream. */
  ingestGroup: 'ingest',
} as const
