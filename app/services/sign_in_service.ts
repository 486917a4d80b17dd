import User from '#models/user'
import { signInLimiter } from '#start/limiter'

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; error: 'wrong_credentials' | 'disabled' | 'throttled'; retryAfter?: number }

class DisabledUser extends Error {}

/**
 * Checks a sign-in. Failed attempts are counted per address and email; past
 * the limit, even the right password is refused until the block ends.
 */
export default class SignInService {
  static async attempt(email: string, password: string, ip: string): Promise<SignInResult> {
    const key = `sign_in:${ip}:${email.trim().toLowerCase()}`
    try {
      const [throttled, user] = await signInLimiter().penalize(key, async () => {
        const found = await User.verifyCredentials(email, password)
        if (found.isDisabled) {
          throw new DisabledUser()
        }
        return found
      })
      if (throttled) {
        return { ok: false, error: 'throttled', retryAfter: throttled.response.availableIn }
      }
      return { ok: true, user }
    } catch (error) {
      return { ok: false, error: error instanceof DisabledUser ? 'disabled' : 'wrong_credentials' }
    }
  }
}
