import type { HttpContext } from '@adonisjs/core/http'
import TokenService from '#services/tokens/token_service'
import TokenQueries from '#services/tokens/token_queries'
import PingService from '#services/tokens/ping_service'
import TokenActivity from '#services/tokens/token_activity'
import { visibleToken } from '#policies/visible'
import { snoozeValidator } from '#validators/token'

export default class TokenStatusController {
  async pause({ bouncer, params, response, session }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    await TokenService.pause(token)
    session.flash(
      'success',
      `Token "${token.name}" paused: no alerts until it is resumed or pinged`
    )
    return response.redirect().toRoute('tokens.show', { id: token.uuid })
  }

  async resume({ bouncer, params, response, session }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    await TokenService.resume(token)
    session.flash('success', `Token "${token.name}" resumed`)
    return response.redirect().toRoute('tokens.show', { id: token.uuid })
  }

  async snooze({ bouncer, params, request, response, session }: HttpContext) {
    const token = await visibleToken(bouncer, params.id, 'update')
    const { minutes } = await request.validateUsing(snoozeValidator)
    await TokenService.snooze(token, minutes)
    session.flash(
      'success',
      minutes > 0
        ? `Token "${token.name}" snoozed for ${minutes} minutes: its alerts are silenced until then`
        : `Token "${token.name}" snooze ended`
    )
    return response.redirect().toRoute('tokens.show', { id: token.uuid })
  }

  /**
   * The Token's status, chart data, newest pings and Flips, which its page fetches every few seconds.
   */
  async live({ bouncer, params, view }: HttpContext) {
    const token = await visibleToken(bouncer, params.id)
    const pings = await PingService.list(token.projectId, { limit: TokenActivity.pingPage }, token)
    const flips = await TokenQueries.flips(token, { limit: 20 })
    const chart = await TokenActivity.chart(token)
    return view.render('partials/token_live', {
      token,
      pings: pings.items,
      nextCursor: pings.meta.next_cursor,
      cursor: undefined,
      flips: flips.items,
      chart,
    })
  }
}
