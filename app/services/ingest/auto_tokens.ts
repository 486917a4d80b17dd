import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * A ping to `/ping/<ping key>/<slug>?create=1` whose Token the edge
 * registered under `uuid` (uuidv5 of ping key and slug, see ping/redis_store).
 */
export interface CreateRequest {
  uuid: string
  pingKey: string
  slug: string
}

/**
 * Inserts the Tokens that create requests ask for and that do not exist yet,
 * named after their slug and attached to all their User's Channels, as
 * healthchecks does. Idempotent: the UUID is deterministic and conflicts are
 * skipped. Returns, for requests whose slug already names another Token of
 * the User (the edge's Redis had lost it), the UUID of that Token.
 */
export async function provisionTokens(trx: TransactionClientContract, requests: CreateRequest[]) {
  const bindings = [
    requests.map((request) => request.uuid),
    requests.map((request) => request.pingKey),
    requests.map((request) => request.slug),
  ]
  await trx.rawQuery(
    `WITH requested AS (
       SELECT DISTINCT ON (uuid) * FROM unnest(?::uuid[], ?::text[], ?::text[]) AS r(uuid, ping_key, slug)
     ), inserted AS (
       INSERT INTO tokens (uuid, user_id, name, slug, created_at, updated_at)
       SELECT r.uuid, u.id, r.slug, r.slug, now(), now()
       FROM requested r JOIN users u ON u.ping_key = r.ping_key
       ON CONFLICT DO NOTHING
       RETURNING id, project_id
     )
     INSERT INTO token_channels (token_id, channel_id)
     SELECT inserted.id, c.id FROM inserted JOIN channels c ON c.project_id = inserted.project_id`,
    bindings
  )
  const aliases = await trx.rawQuery(
    `SELECT r.uuid AS requested, t.uuid AS uuid
     FROM unnest(?::uuid[], ?::text[], ?::text[]) AS r(uuid, ping_key, slug)
     JOIN users u ON u.ping_key = r.ping_key
     JOIN tokens t ON t.user_id = u.id AND t.slug = r.slug
     WHERE t.uuid <> r.uuid`,
    bindings
  )
  return new Map<string, string>(
    aliases.rows.map((row: { requested: string; uuid: string }) => [row.requested, row.uuid])
  )
}
