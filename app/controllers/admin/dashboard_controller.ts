import type { HttpContext } from '@adonisjs/core/http'
import TokenQueries from '#services/tokens/token_queries'
import TokenActivity from '#services/tokens/token_activity'
import { listedProjectId } from '#services/projects/project_access'
import { SORTS, STATUSES, dashboardFilterValidator, presentOnly } from '#validators/list_query'

const PAGE_SIZE = 100

/** The labels of the dashboard's orders. */
const SORT_LABELS = {
  newest: 'Newest first',
  status: 'Down first',
  name: 'Name',
  last_ping: 'Last ping',
}

/**
 * The Tokens the user can see, filtered and ordered as the query string says;
 * for admins with each owner.
 */
async function listFor(ctx: HttpContext) {
  const { auth, request } = ctx
  const user = auth.getUserOrFail()
  const filters = await dashboardFilterValidator.validate(presentOnly(request.qs()))
  const list = await TokenQueries.list(ctx.access, {
    ...filters,
    limit: PAGE_SIZE,
    withOwner: true,
  })
  return { user, filters, list }
}

export default class DashboardController {
  /**
   * Every Token the user can see, filtered by status, tag, name and owner.
   */
  async index(ctx: HttpContext) {
    const { user, filters, list } = await listFor(ctx)
    return ctx.view.render('pages/dashboard', {
      tokens: list.items,
      nextCursor: list.meta.next_cursor,
      filters,
      tags: await TokenActivity.tags(listedProjectId(ctx.access)),
      owners: user.isAdmin ? await TokenActivity.owners() : [],
      statuses: STATUSES,
      sorts: SORTS.map((value) => ({ value, label: SORT_LABELS[value] })),
    })
  }

  /**
   * The table alone, which the dashboard fetches every few seconds.
   */
  async rows(ctx: HttpContext) {
    const { filters, list } = await listFor(ctx)
    return ctx.view.render('partials/token_rows', {
      tokens: list.items,
      nextCursor: list.meta.next_cursor,
      filters,
    })
  }
}
