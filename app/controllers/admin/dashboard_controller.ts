import type { HttpContext } from '@adonisjs/core/http'
import TokenQueries from '#services/token_queries'
import TokenActivity from '#services/token_activity'
import { STATUSES, dashboardFilterValidator, presentOnly } from '#validators/list_query'

const PAGE_SIZE = 100

export default class DashboardController {
  /**
   * Every Token the user can see, filtered by status, tag and name.
   */
  async index({ auth, request, view }: HttpContext) {
    const user = auth.getUserOrFail()
    const filters = await dashboardFilterValidator.validate(presentOnly(request.qs()))
    const list = await TokenQueries.list(user, { ...filters, limit: PAGE_SIZE })
    const tags = await TokenActivity.tags(user)
    return view.render('pages/dashboard', {
      tokens: list.items,
      nextCursor: list.meta.next_cursor,
      filters,
      tags,
      statuses: STATUSES,
    })
  }

  /**
   * The table alone, which the dashboard fetches every few seconds.
   */
  async rows({ auth, request, view }: HttpContext) {
    const filters = await dashboardFilterValidator.validate(presentOnly(request.qs()))
    const list = await TokenQueries.list(auth.getUserOrFail(), { ...filters, limit: PAGE_SIZE })
    return view.render('partials/token_rows', {
      tokens: list.items,
      nextCursor: list.meta.next_cursor,
      filters,
    })
  }
}
