import type User from '#models/user'
import type Token from '#models/token'
import { BasePolicy } from '@adonisjs/bouncer'

/**
 * A user reaches only their own Tokens; an admin reaches all.
 */
export default class TokenPolicy extends BasePolicy {
  view(user: User, token: Token) {
    return user.isAdmin || token.userId === user.id
  }

  update(user: User, token: Token) {
    return user.isAdmin || token.userId === user.id
  }

  delete(user: User, token: Token) {
    return user.isAdmin || token.userId === user.id
  }
}
