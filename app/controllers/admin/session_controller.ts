import type { HttpContext } from '@adonisjs/core/http'
import SignInService, { type SignInResult } from '#services/accounts/sign_in_service'
import { signInValidator } from '#validators/session'

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60))

function refusal(result: Exclude<SignInResult, { ok: true }>) {
  switch (result.error) {
    case 'wrong_credentials':
      return 'Wrong email or password'
    case 'disabled':
      return 'This User is disabled. Ask an admin to enable it.'
    case 'throttled':
      return result.throttle === 'account'
        ? `Too many failed sign-ins for this account. Try again in ${minutes(result.retryAfter)} min.`
        : `Too many failed sign-ins. Try again in ${minutes(result.retryAfter)} min.`
  }
}

export default class SessionController {
  async create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  async store({ auth, request, response, session }: HttpContext) {
    const { email, password } = await request.validateUsing(signInValidator)
    const result = await SignInService.attempt(email, password, request.ip())
    if (!result.ok) {
      session.flash('error', refusal(result))
      session.flashOnly(['email'])
      return response.redirect().toRoute('session.create')
    }
    await auth.use('web').login(result.user)
    return response.redirect().toIntendedRoute('dashboard')
  }

  async destroy({ auth, response, session }: HttpContext) {
    await auth.use('web').logout()
    session.flash('success', 'Signed out')
    return response.redirect().toRoute('session.create')
  }
}
