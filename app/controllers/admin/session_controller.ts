import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { signInValidator } from '#validators/session'

export default class SessionController {
  async create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  async store({ auth, request, response, session }: HttpContext) {
    const { email, password } = await request.validateUsing(signInValidator)
    const user = await User.verifyCredentials(email, password).catch(() => null)
    if (!user || user.isDisabled) {
      session.flash('error', 'Wrong email or password')
      session.flashOnly(['email'])
      return response.redirect().toRoute('session.create')
    }
    await auth.use('web').login(user)
    return response.redirect().toRoute('dashboard')
  }

  async destroy({ auth, response, session }: HttpContext) {
    await auth.use('web').logout()
    session.flash('success', 'Signed out')
    return response.redirect().toRoute('session.create')
  }
}
