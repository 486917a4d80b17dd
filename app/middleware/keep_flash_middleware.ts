import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * A request a page makes in the background (a schedule preview, a live
 * refresh) hands the flash messages on instead of taking them: the message
 * a form's POST sets must reach the page it redirects to, even when such a
 * request lands in between.
 */
export default class KeepFlashMiddleware {
  async handle({ session }: HttpContext, next: NextFn) {
    if (Object.keys(session.flashMessages.all()).length > 0) {
      session.reflash()
    }
    return next()
  }
}
