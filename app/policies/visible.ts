import type { HttpContext } from '@adonisjs/core/http'
import NotFoundException from '#exceptions/not_found_exception'
import ForbiddenException from '#exceptions/forbidden_exception'
import { reach, type ProjectAccess } from '#services/projects/project_access'
import TokenPolicy from '#policies/token_policy'
import ChannelPolicy from '#policies/channel_policy'
import TokenQueries from '#services/tokens/token_queries'
import ChannelService from '#services/alerts/channel_service'
import PingService from '#services/tokens/ping_service'
import TokenPingPages, { type PingFilters } from '#services/tokens/ping_pages'

type Bouncer = HttpContext['bouncer']

const READ_ONLY = 'Read-only members cannot change this Project'

/** New Tokens and Channels go in the current Project: read-only members may not add any. */
export function assertCanChange(access: ProjectAccess) {
  if (!reach(access, access.projectId, 'update')) {
    throw new ForbiddenException(READ_ONLY)
  }
}

/*
 * The records a request may act on. A missing record and one of a Project the request does
 * not reach (`reach` in services/projects/project_access.ts) answer the same 404, so ids
 * cannot be probed. A member who may see a row but not change it (read-only) gets a 403. The services find; the policies decide; this joins them for
 * the controllers, so that no service knows about requests.
 */

export async function visibleToken(
  bouncer: Bouncer,
  uuid: string,
  action: 'view' | 'update' | 'delete' = 'view',
  withChannels = true
) {
  const token = await TokenQueries.find(uuid, withChannels)
  if (!token || (await bouncer.with(TokenPolicy).denies('view', token))) {
    throw new NotFoundException('Token')
  }
  if (action !== 'view' && (await bouncer.with(TokenPolicy).denies(action, token))) {
    throw new ForbiddenException(READ_ONLY)
  }
  return token
}

export async function visibleChannel(
  bouncer: Bouncer,
  id: string,
  action: 'view' | 'update' | 'delete' = 'view'
) {
  const channel = await ChannelService.find(id)
  if (!channel || (await bouncer.with(ChannelPolicy).denies('view', channel))) {
    throw new NotFoundException('Channel')
  }
  if (action !== 'view' && (await bouncer.with(ChannelPolicy).denies(action, channel))) {
    throw new ForbiddenException(READ_ONLY)
  }
  return channel
}

export async function visiblePing(
  bouncer: Bouncer,
  id: string,
  action: 'view' | 'delete' = 'view'
) {
  const ping = await PingService.find(id)
  if (!ping || (await bouncer.with(TokenPolicy).denies('view', ping.token))) {
    throw new NotFoundException('Ping')
  }
  if (action !== 'view' && (await bouncer.with(TokenPolicy).denies(action, ping.token))) {
    throw new ForbiddenException(READ_ONLY)
  }
  return ping
}

/** A page of one Token's Pings, its Project checked by the same policy as the Token. */
export async function visiblePingPage(bouncer: Bouncer, uuid: string, filters: PingFilters) {
  const found = await TokenPingPages.page(uuid, filters)
  if (!found || (await bouncer.with(TokenPolicy).denies('view', { projectId: found.projectId }))) {
    throw new NotFoundException('Token')
  }
  return { itemsJson: found.itemsJson, meta: found.meta }
}
