import type { HttpContext } from '@adonisjs/core/http'
import ApiKeyService from '#services/accounts/api_key_service'
import { createApiKeyValidator } from '#validators/user'

export default class ApiKeysController {
  async index({ access, auth, view }: HttpContext) {
    const keys = await ApiKeyService.list(auth.getUserOrFail(), access.projectId)
    return view.render('pages/api_keys/index', { keys })
  }

  /**
   * The new key travels once, in the flash, to the page that shows it.
   */
  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const { name, access } = await request.validateUsing(createApiKeyValidator)
    const user = auth.getUserOrFail()
    const value = await ApiKeyService.create(user, access, name, ctx.access.projectId)
    session.flash('newApiKey', { name, value })
    session.flash('success', `API key "${name}" created. Copy it now: it is shown only once.`)
    return response.redirect().toRoute('api_keys.index')
  }

  async destroy({ auth, params, response, session }: HttpContext) {
    if (await ApiKeyService.revoke(auth.getUserOrFail(), params.id)) {
      session.flash('success', 'API key revoked')
    } else {
      session.flash('error', 'No such API key')
    }
    return response.redirect().toRoute('api_keys.index')
  }
}
