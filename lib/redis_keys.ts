/**
 * Redis key names shared by the ping edge (ping/) and the app. Neither side
 * imports the other; both import this file.
 */
export const redisKeys = {
  /** Set of the UUIDs of every Token that accepts pings. */
  tokens: 'ngip:tokens',
  /** Hash of "<ping_key>/<slug>" to Token UUID, for the slug ping form. */
  slugs: 'ngip:slugs',
  /** Hash of Token UUID to its "<ping_key>/<slug>", to drop the old one on change. */
  slugOf: 'ngip:slug_of',
  /** Set of the Users' ping keys, so `?create=1` only provisions for a real User. */
  pingKeys: 'ngip:ping_keys',
  /** Lock held by the running `tokens:sync` (one at a time). */
  syncLock: 'ngip:tokens:sync_lock',
  /** When the last full `tokens:sync` started (ms since epoch); gone after Redis lost its data. */
  syncedAt: 'ngip:tokens:synced_at',
  /** PING_LOG_LIMIT of the last pruning sweep; a lower limit makes the next sweep visit all. */
  pruneLimit: 'ngip:pings:prune_limit',
  /** Prefix of the per-Token counters of PING_RATE_LIMIT (one key a Token, 60 s). */
  ratePrefix: 'ngip:rate:',
  /** Stream of accepted pings, drained by the worker. */
  pings: 'ngip:pings',
  /** Stream of pings PostgreSQL refused (kept with the reason, for a person to look at). */
  deadPings: 'ngip:pings:dead',
  /** Consumer group of the ingest workers on the pings stream. */
  ingestGroup: 'ingest',
} as const

/** The field of a slug route in the `slugs` hash. */
export function slugField(pingKey: string, slug: string) {
  return `${pingKey}/${slug}`
}
