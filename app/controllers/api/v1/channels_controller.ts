import type { HttpContext } from '@adonisjs/core/http'
import ChannelService from '#services/alerts/channel_service'
import ChannelTransformer from '#transformers/channel_transformer'
import { createChannelValidator, updateChannelValidator } from '#validators/channel'
import { pageValidator } from '#validators/page'
import { assertCanChange, visibleChannel } from '#policies/visible'
import { listedProjectId } from '#services/projects/project_access'

/** Read-only keys see Channels without their credentials */
function variantFor(auth: HttpContext['auth']) {
  return auth.user?.currentAccessToken?.allows('write') ? 'toObject' : 'toRedacted'
}

export default class ChannelsController {
  async index({ access, auth, request, serialize }: HttpContext) {
    const filters = await pageValidator.validate(request.qs())
    const { items, meta } = await ChannelService.list(listedProjectId(access), filters)
    return serialize(ChannelTransformer.transform(items).useVariant(variantFor(auth)), meta)
  }

  async store({ access, auth, request, response, serialize }: HttpContext) {
    assertCanChange(access)
    const input = await request.validateUsing(createChannelValidator)
    const channel = await ChannelService.create(auth.getUserOrFail(), input, access.projectId)
    return response.created(await serialize(ChannelTransformer.transform(channel)))
  }

  async show({ auth, bouncer, params, serialize }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id)
    return serialize(ChannelTransformer.transform(channel).useVariant(variantFor(auth)))
  }

  async update({ bouncer, params, request, serialize }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id, 'update')
    const changes = await request.validateUsing(updateChannelValidator)
    return serialize(ChannelTransformer.transform(await ChannelService.update(channel, changes)))
  }

  async destroy({ bouncer, params, response }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id, 'delete')
    await channel.delete()
    return response.noContent()
  }
}
