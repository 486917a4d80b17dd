import type { HttpContext } from '@adonisjs/core/http'
import UserService from '#services/accounts/user_service'
import NotFoundException from '#exceptions/not_found_exception'
import { createUserValidator, userChangeValidator, userMessages } from '#validators/user'

const DONE = {
  make_admin: 'is now an admin',
  remove_admin: 'is no longer an admin',
  disable: 'is disabled: they can no longer sign in or use the API',
  enable: 'is enabled again',
}

/**
 * Users, for admins only; to anyone else the pages do not exist.
 */
async function adminsOnly(bouncer: HttpContext['bouncer']) {
  if (await bouncer.denies('manageUsers')) {
    throw new NotFoundException('Page')
  }
}

export default class UsersController {
  async index({ bouncer, view }: HttpContext) {
    await adminsOnly(bouncer)
    return view.render('pages/users/index', { users: await UserService.list() })
  }

  async store({ bouncer, request, response, session }: HttpContext) {
    await adminsOnly(bouncer)
    const input = await request.validateUsing(createUserValidator, {
      messagesProvider: userMessages,
    })
    const user = await UserService.create({ ...input, isAdmin: input.is_admin })
    session.flash('success', `User ${user.email} created`)
    return response.redirect().toRoute('users.index')
  }

  async update({ auth, bouncer, params, request, response, session }: HttpContext) {
    await adminsOnly(bouncer)
    const { change } = await request.validateUsing(userChangeValidator)
    const result = await UserService.change(auth.getUserOrFail(), params.id, change)
    if (result.ok) {
      session.flash('success', `${result.user.email} ${DONE[change]}`)
    } else {
      session.flash(
        'error',
        result.error === 'self' ? 'You cannot do that to yourself' : 'No such User'
      )
    }
    return response.redirect().toRoute('users.index')
  }

  async destroy({ auth, bouncer, params, response, session }: HttpContext) {
    await adminsOnly(bouncer)
    const result = await UserService.remove(auth.getUserOrFail(), params.id)
    if (result.ok) {
      session.flash('success', `${result.user.email} is deleted, with all they owned`)
    } else {
      session.flash(
        'error',
        result.error === 'self' ? 'You cannot delete yourself' : 'No such User'
      )
    }
    return response.redirect().toRoute('users.index')
  }
}
