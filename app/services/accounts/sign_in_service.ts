import User from '#models/user'
import { accountSignInLimiter, signInLimiter } from '#start/limiter'

export type SignInThrottle = 'address' | 'account'

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; error: 'wrong_credentials' | 'disabled' }
  | { ok: false; error: 'throttled'; throttle: SignInThrottle; retryAfter: number }

class DisabledUser extends Error {}

/** The two counts of failures a sign-in is checked against. */
function throttles(email: string, ip: string) {
  return [
    { scope: 'address', key: `sign_in:${ip}:${email}`, limiter: signInLimiter() },
    { scope: 'account', key: `sign_in_account:${email}`, limiter: accountSignInLimiter() },
  ] as const
}

type Throttles = ReturnType<typeof throttles>

/** The throttle that blocks the longest, if any does. */
async function blocking(list: Throttles) {
  const states = await Promise.all(list.map(({ key, limiter }) => limiter.get(key)))
  let found: { throttle: SignInThrottle; retryAfter: number } | undefined
  states.forEach((state, index) => {
    // A block whose time is up counts as none, even before its entry is cleared.
    if (state && state.remaining <= 0 && state.availableIn > (found?.retryAfter ?? 0)) {
      found = { throttle: list[index].scope, retryAfter: state.availableIn }
    }
  })
  return found
}

async function countFailure(list: Throttles) {
  for (const { key, limiter } of list) {
    const { consumed, limit } = await limiter.increment(key)
    if (consumed >= limit && limiter.blockDuration) {
      await limiter.block(key, limiter.blockDuration)
    }
  }
}

/**
 * Checks a sign-in. Failed attempts are counted per address and email, and
 * per email from any address; past either limit even the right password is
 * refused until that block ends. A successful sign-in clears both counts.
 */
export default class SignInService {
  static async attempt(email: string, password: string, ip: string): Promise<SignInResult> {
    const list = throttles(email.trim().toLowerCase(), ip)
    const blocked = await blocking(list)
    if (blocked) {
      return { ok: false, error: 'throttled', ...blocked }
    }
    try {
      const user = await User.verifyCredentials(email, password)
      if (user.isDisabled) {
        throw new DisabledUser()
      }
      await Promise.all(list.map(({ key, limiter }) => limiter.delete(key)))
      return { ok: true, user }
    } catch (error) {
      await countFailure(list)
      return { ok: false, error: error instanceof DisabledUser ? 'disabled' : 'wrong_credentials' }
    }
  }
}
