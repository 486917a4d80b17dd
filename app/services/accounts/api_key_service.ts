import User from '#models/user'
import db from '@adonisjs/lucid/services/db'
import UserService, { type ApiKeyAccess } from '#services/accounts/user_service'
import { forgetApiKeys } from '#services/accounts/api_key_cache'

export interface ApiKeyRow {
  projectId: number
  id: number
  name: string
  /** The part of the key before its secret, enough to tell keys apart. */
  prefix: string
  access: ApiKeyAccess
  createdAt: Date
  lastUsedAt: Date | null
}

/**
 * A User's own API keys in one Project, as the admin UI lists, creates and revokes them;
 * a key reaches its Project only.
 */
export default class ApiKeyService {
  static async list(user: User, projectId: number): Promise<ApiKeyRow[]> {
    const keys = await User.apiKeys.all(user)
    const rows = await db.from('api_keys').where('tokenable_id', user.id).select('id', 'project_id')
    const projectOf = new Map(rows.map((row) => [Number(row.id), row.project_id as number]))
    const inProject = keys.filter((key) => projectOf.get(Number(key.identifier)) === projectId)
    return inProject.map((key) => ({
      projectId,
      id: Number(key.identifier),
      name: key.name ?? '',
      prefix: `ngip_${Buffer.from(String(key.identifier)).toString('base64url')}.`,
      access: key.abilities.includes('write') ? 'read-write' : 'read-only',
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
    }))
  }

  /**
   * Returns the new key's value, shown once and never stored in clear.
   */
  static create(user: User, access: ApiKeyAccess, name: string, projectId: number) {
    return UserService.createApiKey(user, access, name, projectId)
  }

  /**
   * Revokes one of the user's keys; false when it is not theirs or gone.
   */
  static async revoke(user: User, id: string) {
    if (!/^\d{1,9}$/.test(id)) {
      return false
    }
    const revoked = (await User.apiKeys.delete(user, Number(id))) > 0
    forgetApiKeys()
    return revoked
  }
}
