import type { HttpContext } from '@adonisjs/core/http'
import PingService from '#services/tokens/ping_service'
import PingTransformer from '#transformers/ping_transformer'
import { createPingValidator, listPingsValidator } from '#validators/ping'
import { visibleToken, visiblePing } from '#policies/visible'
import { listedProjectId } from '#services/projects/project_access'

export default class PingsController {
  async index({ access, request, serialize }: HttpContext) {
    const filters = await listPingsValidator.validate(request.qs())
    const { items, meta } = await PingService.list(listedProjectId(access), filters)
    return serialize(PingTransformer.transform(items), meta)
  }

  async store({ bouncer, request, response, serialize }: HttpContext) {
    const input = await request.validateUsing(createPingValidator)
    const token = await visibleToken(bouncer, input.token, 'update')
    const ping = await PingService.record(token, input, {
      method: 'API',
      remoteAddr: request.ip(),
      userAgent: request.header('user-agent') ?? '',
    })
    return response.created(await serialize(PingTransformer.transform(ping)))
  }

  async show({ bouncer, params, serialize }: HttpContext) {
    const ping = await visiblePing(bouncer, params.id)
    return serialize(PingTransformer.transform(ping))
  }

  async destroy({ bouncer, params, response }: HttpContext) {
    const ping = await visiblePing(bouncer, params.id, 'delete')
    await ping.delete()
    return response.noContent()
  }
}
