import type User from '#models/user'
import Token from '#models/token'
import Channel from '#models/channel'
import { reach, type ProjectAccess } from '#services/projects/project_access'
import { ANY_CASE_UUID_RE, uniqueKeyOf } from '#lib/uuid'

/** A v3 request's key: its User, the Project it belongs to, and whether it may write */
export interface V3Key {
  user: User
  access: ProjectAccess
  readonly: boolean
}

/**
 * What an API v3 key sees: the Tokens and Channels of the key's Project, by the
 * rule every v1 policy follows (`reach`). This is the one place the v3 API asks it.
 */
export const V3Scope = {
  sees(key: V3Key, row: { projectId: number }) {
    return reach(key.access, row.projectId, 'view')
  },

  tokens(key: V3Key) {
    return Token.query().where('project_id', key.access.projectId)
  },

  channels(key: V3Key) {
    return Channel.query().where('project_id', key.access.projectId)
  },
}

export type Found = { token: Token } | { missing: 'not_found' | 'forbidden' }

/**
 * A Token by UUID (healthchecks: 404 when none, 403 when another's) or by
 * unique key (404 unless the key's own).
 */
export async function findCheck(key: V3Key, id: string): Promise<Found> {
  if (ANY_CASE_UUID_RE.test(id)) {
    const token = await Token.query().where('uuid', id.toLowerCase()).preload('channels').first()
    if (!token) {
      return { missing: 'not_found' }
    }
    return V3Scope.sees(key, token) ? { token } : { missing: 'forbidden' }
  }
  if (/^[A-Za-z0-9]{40}$/.test(id)) {
    const rows = await V3Scope.tokens(key).select('id', 'uuid')
    const row = rows.find((candidate) => uniqueKeyOf(candidate.uuid) === id.toLowerCase())
    if (row) {
      return { token: await Token.query().where('id', row.id).preload('channels').firstOrFail() }
    }
  }
  return { missing: 'not_found' }
}
