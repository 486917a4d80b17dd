import User from '#models/user'
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
