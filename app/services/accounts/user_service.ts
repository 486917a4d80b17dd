import User from '#models/user'
import Token from '#models/token'
import TokenRegistry from '#services/registry/token_registry'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import ProjectService from '#services/projects/project_service'
import { forgetApiKeys } from '#services/accounts/api_key_cache'

export type UserChange = 'make_admin' | 'remove_admin' | 'disable' | 'enable'
export type UserChangeResult = { ok: true; user: User } | { ok: false; error: 'not_found' | 'self' }

export type ApiKeyAccess = 'read-only' | 'read-write'

/**
 * Users and their API keys, for commands, the quick start and the admin UI:
 * creating, changing and removing Users, and a person's own password.
 */
export default class UserService {
  static async create(input: { email: string; password: string; isAdmin?: boolean }) {
    // Every User starts with a default Project of their own.
    const user = await db.transaction(async (trx) => {
      const made = await User.create(
        {
          email: input.email.trim().toLowerCase(),
          password: input.password,
          isAdmin: input.isAdmin ?? false,
          isDisabled: false,
        },
        { client: trx }
      )
      await ProjectService.createDefault(made, trx)
      return made
    })
    // The edge lets this ping key provision Tokens (`?create=1`).
    await TokenRegistry.trackUser(user)
    return user
  }

  /**
   * Gives the user a new ping key. The edge forgets the old one at once:
   * slug ping URLs with it stop working, the same slugs answer under the new.
   */
  static async regeneratePingKey(user: User) {
    const old = user.pingKey
    user.pingKey = User.newPingKey()
    await user.save()
    await TokenRegistry.untrackUser({ pingKey: old })
    if (!user.isDisabled) {
      await TokenRegistry.trackUser(user)
    }
    const slugged = await Token.query()
      .where('user_id', user.id)
      .whereNotNull('slug')
      .select('uuid', 'slug')
    for (const token of slugged) {
      await TokenRegistry.addSlugRoute({
        uuid: token.uuid,
        pingKey: user.pingKey,
        slug: token.slug!,
      })
    }
    return user.pingKey
  }

  static findByEmail(email: string) {
    return User.findBy('email', email.trim().toLowerCase())
  }

  /**
   * Creates an API key and returns its value, which is never shown again.
   */
  static async createApiKey(user: User, access: ApiKeyAccess, name: string, projectId?: number) {
    const abilities = access === 'read-only' ? ['read'] : ['read', 'write']
    const key = await User.apiKeys.create(user, abilities, { name })
    if (projectId !== undefined) {
      // Without one, the key lands in the User's own default Project (the table's trigger).
      await db
        .from('api_keys')
        .where('id', Number(key.identifier))
        .update({ project_id: projectId })
    }
    return key.value!.release()
  }

  static list() {
    return User.query().orderBy('email')
  }

  /**
   * Applies one change to another User; admins cannot lock themselves out.
   */
  static async change(actor: User, id: string, change: UserChange): Promise<UserChangeResult> {
    const lockout = change === 'remove_admin' || change === 'disable'
    const found = await this.#target(actor, id, lockout)
    if (!found.ok) {
      return found
    }
    const user = found.user
    user.isAdmin = change === 'make_admin' ? true : change === 'remove_admin' ? false : user.isAdmin
    user.isDisabled = change === 'disable' ? true : change === 'enable' ? false : user.isDisabled
    await user.save()
    // API keys of this User must see the change now, not after the cache's TTL.
    forgetApiKeys()
    // A disabled User's ping key no longer creates Tokens with ?create=1.
    if (change === 'disable') {
      await TokenRegistry.untrackUser(user)
    } else if (change === 'enable') {
      await TokenRegistry.trackUser(user)
    }
    return { ok: true, user }
  }

  /**
   * Tokens and Channels a User made in Projects of others belong to those Projects:
   * before the User goes, each Project's owner takes them over (a slug the owner
   * already uses is dropped), so deleting a member never deletes a team's Tokens.
   */
  static async #handOverRows(user: User) {
    // (project_tags counts per Project: a Token changing its User leaves it as it was)
    return db.transaction(async (trx) => {
      const moved = await trx.rawQuery(
        `WITH moved AS (
           UPDATE tokens t
              SET user_id = p.owner_id,
                  slug = CASE WHEN EXISTS (
                    SELECT 1 FROM tokens o WHERE o.user_id = p.owner_id AND o.slug = t.slug
                  ) THEN NULL ELSE t.slug END
             FROM projects p
            WHERE t.project_id = p.id AND t.user_id = ? AND p.owner_id <> ?
        RETURNING t.uuid, t.slug, t.user_id
         )
         SELECT uuid, slug, user_id FROM moved`,
        [user.id, user.id]
      )
      await trx.rawQuery(
        `UPDATE channels c SET user_id = p.owner_id FROM projects p
          WHERE c.project_id = p.id AND c.user_id = ? AND p.owner_id <> ?`,
        [user.id, user.id]
      )
      return (moved.rows as { uuid: string; slug: string | null; user_id: number }[]).map(
        (row) => ({ uuid: row.uuid, slug: row.slug, userId: row.user_id })
      )
    })
  }

  /**
   * Deletes another User with all they own (Tokens and their history,
   * Channels, API keys), then takes their Tokens and ping key off the edge.
   */
  static async remove(actor: User, id: string): Promise<UserChangeResult> {
    const found = await this.#target(actor, id, true)
    if (!found.ok) {
      return found
    }
    const user = found.user
    const handedOver = await this.#handOverRows(user)
    const tokens = await Token.query().where('user_id', user.id).select('uuid')
    await user.delete()
    forgetApiKeys()
    // after the commit: until tokens:sync, the edge would otherwise accept their pings
    await TokenRegistry.untrackMany(tokens.map((token) => token.uuid))
    await TokenRegistry.untrackUser(user)
    // their slug routes now go by the new owner's ping key
    for (const token of handedOver) {
      await TokenRegistry.track(token)
    }
    return { ok: true, user }
  }

  /**
   * The User an admin acts on, by id; never the admin themselves when the
   * action would lock them out.
   */
  static async #target(actor: User, id: string, lockout: boolean): Promise<UserChangeResult> {
    const user = /^\d{1,9}$/.test(id) ? await User.find(Number(id)) : null
    if (!user) {
      return { ok: false, error: 'not_found' }
    }
    if (lockout && user.id === actor.id) {
      return { ok: false, error: 'self' }
    }
    return { ok: true, user }
  }

  /**
   * Sets a new password after checking the current one.
   */
  static async changePassword(user: User, current: string, next: string) {
    if (!(await hash.verify(user.password, current))) {
      return false
    }
    user.password = next
    await user.save()
    return true
  }
}
