import type { HttpContext } from '@adonisjs/core/http'

/** What a person reads when a form was sent with a CSRF token of an earlier session. */
export const FORM_EXPIRED = 'The form expired; check and send it again'

/**
 * Shield refused a form's CSRF token (E_BAD_CSRF_TOKEN): the form was
 * loaded before its session moved on (expired, signed out and in). It goes
 * back where it came from, filled with what was typed (passwords aside),
 * saying why.
 */
export function formExpired(ctx: HttpContext) {
  ctx.session.flashExcept([
    '_csrf',
    '_method',
    'password',
    'password_confirmation',
    'current_password',
  ])
  ctx.session.flash('error', FORM_EXPIRED)
  ctx.response.redirect().back()
}
