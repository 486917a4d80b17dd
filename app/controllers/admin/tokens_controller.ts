import type { HttpContext } from '@adonisjs/core/http'
import TokenService from '#services/tokens/token_service'
import { seedReminders } from '#services/alerts/reminder_rows'
import TokenQueries from '#services/tokens/token_queries'
import TokenActivity from '#services/tokens/token_activity'
import PingService from '#services/tokens/ping_service'
import { createTokenValidator, updateTokenValidator } from '#validators/token'
import { cursorValidator, presentOnly } from '#validators/list_query'
import { tokenFormInput, tokenFormMessages, tokenFormValues } from '#validators/token_form'
import { assertCanChange, visibleToken } from '#policies/visible'

export default class TokensController {
  async create({ access, session, view }: HttpContext) {
    assertCanChange(access)
    const channels = await TokenActivity.channelsOf(access.projectId)
    const others = await TokenActivity.parentChoices(access.projectId, null)
    const values = tokenFormValues(null, session.flashMessages.all())
    return view.render('pages/tokens/form', { token: null, channels, others, values })
  }

  async store({ access, auth, request, response, session }: HttpContext) {
    assertCanChange(access)
    const input = await createTokenValidator.validate(tokenFormInput(request.all()), {
      messagesProvider: tokenFormMessages,
    })
    const { token } = await TokenService.create(auth.getUserOrFail(), input, access.projectId)
    session.flash('success', `Token "${token.name}" created. Ping its URL to start monitoring.`)
    return response.redirect().toRoute('tokens.show', { id: token.uuid })
  }

  async show({ auth, bouncer, params, request, view }: HttpContext) {
    const token = await visibleToken(bouncer, params.id)
    const { cursor } = await cursorValidator.validate(presentOnly(request.qs()))
    const pings = await PingService.list(
      token.projectId,
      { limit: TokenActivity.pingPage, cursor },
      token
    )
    const flips = await TokenQueries.flips(token, { limit: 20 })
    const chart = await TokenActivity.chart(token)
    if (token.userId !== auth.user!.id) {
      await token.load('user')
    }
    return view.render('pages/tokens/show', {
      token,
      pings: pings.items,
      nextCursor: pings.meta.next_cursor,
      cursor,
      flips: flips.items,
      chart,
    })
  }

  async edit({ bouncer, params, session, view }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    const channels = await TokenActivity.channelsOf(token.projectId)
    const others = await TokenActivity.parentChoices(token.projectId, token.id)
    const values = tokenFormValues(token, session.flashMessages.all())
    return view.render('pages/tokens/form', { token, channels, others, values })
  }

  async update({ bouncer, params, request, response, session }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    const changes = await updateTokenValidator.validate(tokenFormInput(request.all()), {
      messagesProvider: tokenFormMessages,
    })
    await TokenService.update(token, changes)
    if (changes.channels) {
      await seedReminders({ tokenId: token.id })
    }
    session.flash('success', `Token "${token.name}" saved`)
    return response.redirect().toRoute('tokens.show', { id: token.uuid })
  }

  async destroy({ bouncer, params, response, session }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'delete')
    await TokenService.remove(token)
    session.flash('success', `Token "${token.name}" deleted`)
    return response.redirect().toRoute('dashboard')
  }
}
