import type { HttpContext } from '@adonisjs/core/http'
import TokenService from '#services/token_service'
import TokenTransformer from '#transformers/token_transformer'
import { createTokenValidator, listTokensValidator } from '#validators/token'

export default class TokensController {
  async index({ auth, request, serialize }: HttpContext) {
    const filters = await listTokensValidator.validate(request.qs())
    const { items, meta } = await TokenService.list(auth.getUserOrFail(), filters)
    return serialize(TokenTransformer.transform(items), meta)
  }

  async store({ auth, request, response, serialize }: HttpContext) {
    const input = await request.validateUsing(createTokenValidator)
    const token = await TokenService.create(auth.getUserOrFail(), input)
    return response.created(await serialize(TokenTransformer.transform(token)))
  }

  async show({ bouncer, params, serialize }: HttpContext) {
    const token = await TokenService.findAuthorized(bouncer, params.id)
    return serialize(TokenTransformer.transform(token))
  }
}
