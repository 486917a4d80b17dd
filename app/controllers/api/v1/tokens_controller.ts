import type { HttpContext } from '@adonisjs/core/http'
import TokenService from '#services/tokens/token_service'
import { seedReminders } from '#services/alerts/reminder_rows'
import TokenQueries from '#services/tokens/token_queries'
import TokenTransformer from '#transformers/token_transformer'
import {
  createTokenValidator,
  listTokensValidator,
  snoozeValidator,
  updateTokenValidator,
} from '#validators/token'
import { assertCanChange, visibleToken } from '#policies/visible'

export default class TokensController {
  async index({ access, request, serialize }: HttpContext) {
    const filters = await listTokensValidator.validate(request.qs())
    const { items, meta } = await TokenQueries.list(access, filters)
    return serialize(TokenTransformer.transform(items), meta)
  }

  async store({ access, auth, request, response, serialize }: HttpContext) {
    assertCanChange(access)
    const input = await request.validateUsing(createTokenValidator)
    const user = auth.getUserOrFail()
    const { token, created } = await TokenService.create(user, input, access.projectId)
    return response
      .status(created ? 201 : 200)
      .send(await serialize(TokenTransformer.transform(token)))
  }

  async show({ bouncer, params, serialize }: HttpContext) {
    const token = await visibleToken(bouncer, params.id)
    return serialize(TokenTransformer.transform(token))
  }

  async update({ bouncer, params, request, serialize }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    const changes = await request.validateUsing(updateTokenValidator)
    const updated = await TokenService.update(token, changes)
    if (changes.channels) {
      // A repeating Channel attached to a Token already down reminds of it too
      await seedReminders({ tokenId: updated.id })
    }
    return serialize(TokenTransformer.transform(updated))
  }

  async destroy({ bouncer, params, response }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'delete')
    await TokenService.remove(token)
    return response.noContent()
  }

  async pause({ bouncer, params, serialize }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    return serialize(TokenTransformer.transform(await TokenService.pause(token)))
  }

  async snooze({ bouncer, params, request, serialize }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    const { minutes } = await request.validateUsing(snoozeValidator)
    return serialize(TokenTransformer.transform(await TokenService.snooze(token, minutes)))
  }

  async resume({ bouncer, params, serialize }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    return serialize(TokenTransformer.transform(await TokenService.resume(token)))
  }
}
