import type User from '#models/user'
import type Token from '#models/token'
import { BasePolicy } from '@adonisjs/bouncer'
import { ownsOrAdmin } from '#abilities/ownership'

/**
 * A user reaches only their own Tokens; an admin reaches all.
 */
export default class TokenPolicy extends BasePolicy {
  view(user: User, token: Token) {
    return ownsOrAdmin(user, token)
  }

  update(user: User, token: Token) {
    return ownsOrAdmin(user, token)
  }

  delete(user: User, token: Token) {
    return ownsOrAdmin(user, token)
  }
}
