import type { HttpContext } from '@adonisjs/core/http'
import TokenQueries from '#services/token_queries'
import { pingUrlOf } from '#transformers/token_transformer'

export default class DashboardController {
  async index({ auth, view }: HttpContext) {
    const { items } = await TokenQueries.list(auth.getUserOrFail(), { limit: 100 })
    const tokens = items.map((token) => ({
      uuid: token.uuid,
      name: token.name,
      slug: token.slug,
      tags: token.tags,
      status: token.displayStatus(),
      lastPingAt: token.lastPingAt,
      nPings: token.nPings,
      pingUrl: pingUrlOf(token),
    }))
    return view.render('pages/dashboard', { tokens })
  }
}
