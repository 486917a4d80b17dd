import { createHash } from 'node:crypto'
import type User from '#models/user'
import Token from '#models/token'
import Channel from '#models/channel'
import { ownsOrAdmin } from '#abilities/ownership'
import { ANY_CASE_UUID_RE } from '#lib/uuid'

/**
 * What an API v3 key sees: the Tokens and Channels of the key's owner, by the
 * rule every v1 policy follows (`ownsOrAdmin`). This is the one place the v3
 * API asks it, so keys that belong to a Project change only this file.
 */
export const V3Scope = {
  sees(user: User, row: { userId: number }) {
    return ownsOrAdmin(user, row)
  },

  tokens(user: User) {
    const query = Token.query()
    return user.isAdmin ? query : query.where('user_id', user.id)
  },

  channels(user: User) {
    const query = Channel.query()
    return user.isAdmin ? query : query.where('user_id', user.id)
  },
}

/** healthchecks' `unique_key`: the SHA-1 of the first half of the UUID's hex digits */
export function uniqueKeyOf(uuid: string) {
  return createHash('sha1').update(uuid.replace(/-/g, '').slice(0, 16)).digest('hex')
}

export type Found = { token: Token } | { missing: 'not_found' | 'forbidden' }

/**
 * A Token by UUID (healthchecks: 404 when none, 403 when another's) or by
 * unique key (404 unless the key's own).
 */
export async function findCheck(user: User, id: string): Promise<Found> {
  if (ANY_CASE_UUID_RE.test(id)) {
    const token = await Token.query().where('uuid', id.toLowerCase()).preload('channels').first()
    if (!token) {
      return { missing: 'not_found' }
    }
    return V3Scope.sees(user, token) ? { token } : { missing: 'forbidden' }
  }
  if (/^[A-Za-z0-9]{40}$/.test(id)) {
    const rows = await V3Scope.tokens(user).select('id', 'uuid')
    const row = rows.find((candidate) => uniqueKeyOf(candidate.uuid) === id.toLowerCase())
    if (row) {
      return { token: await Token.query().where('id', row.id).preload('channels').firstOrFail() }
    }
  }
  return { missing: 'not_found' }
}
