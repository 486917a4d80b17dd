import type { HttpContext } from '@adonisjs/core/http'
import SignInService from '#services/sign_in_service'
import { signInValidator } from '#validators/session'

const REFUSALS = {
  wrong_credentials: () => 'Wrong email or password',
  disabled: () => 'This User is disabled. Ask an admin to enable it.',
  throttled: (retryAfter = 60) =>
    `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} min.`,
}

export default class SessionController {
  async create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  async store({ auth, request, response, session }: HttpContext) {
    const { email, password } = await request.validateUsing(signInValidator)
    const result = await SignInService.attempt(email, password, request.ip())
    if (!result.ok) {
      session.flash('error', REFUSALS[result.error](result.retryAfter))
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
