import { Exception } from '@adonisjs/core/exceptions'

/**
 * Another user's row answers like a missing one, so ids cannot be probed.
 */
export default class NotFoundException extends Exception {
  static status = 404
  static code = 'E_NOT_FOUND'

  constructor(what = 'Resource') {
    super(`${what} not found`)
  }
}
