import { createHash } from 'node:crypto'

/** A Token UUID as it appears in ping URLs: lowercase, with hyphens. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A UUID in any case, as people paste them into the API and query strings. */
export const ANY_CASE_UUID_RE = new RegExp(UUID_RE.source, 'i')

/** The namespace of the UUIDs of auto-provisioned Tokens (uuidv5). */
export const AUTO_TOKEN_NAMESPACE = '5f0e9c2a-8a4b-4c1e-9a57-3d2f6b1e7c40'

/**
 * RFC 9562 version 5 UUID: SHA-1 of the namespace and the name. The same
 * name always gives the same UUID, so the edge and the worker agree on the
 * id of a Token that neither has stored yet.
 */
export function uuidV5(name: string, namespace = AUTO_TOKEN_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name)
    .digest()
  hash[6] = (hash[6] & 0x0f) | 0x50
  hash[8] = (hash[8] & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The UUID of the Token that `?create=1` provisions for a ping key and slug.
 */
export function autoTokenUuid(pingKey: string, slug: string) {
  return uuidV5(`${pingKey}/${slug}`)
}

/**
 * healthchecks' `unique_key` of a check: the SHA-1 of the first half of its UUID's hex
 * digits. API v3 shows it to read-only keys and the Project's metrics label series with it.
 */
export function uniqueKeyOf(uuid: string) {
  return createHash('sha1').update(uuid.replace(/-/g, '').slice(0, 16)).digest('hex')
}
