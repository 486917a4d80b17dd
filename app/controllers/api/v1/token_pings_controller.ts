import type { HttpContext } from '@adonisjs/core/http'
import TokenQueries from '#services/tokens/token_queries'
import FlipTransformer from '#transformers/flip_transformer'
import { listPingsValidator } from '#validators/ping'
import { pageValidator } from '#validators/page'
import { visibleToken, visiblePingPage } from '#policies/visible'

/**
 * A Token's history: its Pings and its Flips, newest first.
 */
export default class TokenPingsController {
  async index({ bouncer, params, request, serializeJson }: HttpContext) {
    const filters = await listPingsValidator.validate(request.qs())
    const { itemsJson, meta } = await visiblePingPage(bouncer, params.id, filters)
    return serializeJson(itemsJson, meta)
  }

  async flips({ bouncer, params, request, serialize }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'view', false)
    const filters = await pageValidator.validate(request.qs())
    const { items, meta } = await TokenQueries.flips(token, filters)
    return serialize(FlipTransformer.transform(items), meta)
  }
}
