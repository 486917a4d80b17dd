import type { HttpContext } from '@adonisjs/core/http'
import ChannelService from '#services/alerts/channel_service'
import { createChannelValidator, updateChannelValidator, REPEAT_CHOICES } from '#validators/channel'
import { channelFormInput } from '#validators/channel_form'
import { channelForm } from '#services/alerts/channels/form'
import { pageValidator } from '#validators/page'
import { assertCanChange, visibleChannel } from '#policies/visible'
import { listedProjectId } from '#services/projects/project_access'
import { sendsTo } from '#services/alerts/channels/index'

const PAGE_SIZE = 50
const FORM = { form: channelForm(), repeatChoices: REPEAT_CHOICES }

export default class ChannelsController {
  async index({ access, request, view }: HttpContext) {
    const { cursor } = await pageValidator.validate(request.qs())
    const { items, meta } = await ChannelService.list(listedProjectId(access), {
      limit: PAGE_SIZE,
      cursor,
    })
    return view.render('pages/channels/index', {
      channels: items,
      sendsTo: Object.fromEntries(items.map((item) => [item.id, sendsTo(item.kind, item.config)])),
      cursor,
      nextCursor: meta.next_cursor,
    })
  }

  async create({ access, view }: HttpContext) {
    assertCanChange(access)
    return view.render('pages/channels/form', { channel: null, ...FORM })
  }

  async store({ access, auth, request, response, session }: HttpContext) {
    assertCanChange(access)
    const input = await createChannelValidator.validate(channelFormInput(request.all()))
    const channel = await ChannelService.create(auth.getUserOrFail(), input, access.projectId)
    session.flash('success', `Channel "${channel.name}" created`)
    return response.redirect().toRoute('channels.index')
  }

  async edit({ bouncer, params, view }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id, 'update')
    return view.render('pages/channels/form', { channel, ...FORM })
  }

  async update({ bouncer, params, request, response, session }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id, 'update')
    const { kind, ...input } = channelFormInput(request.all(), channel.kind)
    const changes = await updateChannelValidator.validate(input)
    await ChannelService.update(channel, changes)
    session.flash('success', `Channel "${channel.name}" saved`)
    return response.redirect().toRoute('channels.index')
  }

  async destroy({ bouncer, params, response, session }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id, 'delete')
    await channel.delete()
    session.flash('success', `Channel "${channel.name}" deleted`)
    return response.redirect().toRoute('channels.index')
  }
}
