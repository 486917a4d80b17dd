import type { HttpContext } from '@adonisjs/core/http'
import TokenService from '#services/token_service'
import PingTransformer from '#transformers/ping_transformer'
import { listPingsValidator } from '#validators/token'

export default class TokenPingsController {
  async index({ bouncer, params, request, serialize }: HttpContext) {
    const token = await TokenService.findAuthorized(bouncer, params.id)
    const filters = await listPingsValidator.validate(request.qs())
    const { items, meta } = await TokenService.pings(token, filters)
    return serialize(PingTransformer.transform(items), meta)
  }
}
