import User from '#models/user'
import Token from '#models/token'
import TokenRegistry from '#services/token_registry'

export type ApiKeyAccess = 'read-only' | 'read-write'

/**
 * Users and their API keys, for commands, the quick start and the admin UI.
 */
export default class UserService {
  static async create(input: { email: string; password: string; isAdmin?: boolean }) {
    const user = await User.create({
      email: input.email.trim().toLowerCase(),
      password: input.password,
      isAdmin: input.isAdmin ?? false,
      isDisabled: false,
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
  static async createApiKey(user: User, access: ApiKeyAccess, name: string) {
    const abilities = access === 'read-only' ? ['read'] : ['read', 'write']
    const key = await User.apiKeys.create(user, abilities, { name })
    return key.value!.release()
  }
}
