import type { HttpContext } from '@adonisjs/core/http'
import CheckReads from '#services/api_v3/check_reads'
import { channelDict } from '#transformers/check_v3_transformer'
import { v3Key } from '#policies/v3_visible'
import { CORS_HEADERS } from '#middleware/api_v3_middleware'
import Project from '#models/project'
import { badgeTags, badgeUrls } from '#services/projects/badges'

/**
 * The Channels a key sees (healthchecks' `/api/v3/channels/`), its Project's
 * badges (`/api/v3/badges/`), and the service status (`/api/v3/status/`).
 */
export default class ChannelsController {
  async index(ctx: HttpContext) {
    const channels = await CheckReads.channels(v3Key(ctx))
    return { channels: channels.map(channelDict) }
  }

  /** The key's Project's badges, per tag and `*` for all (healthchecks' `/api/v3/badges/`) */
  async badges(ctx: HttpContext) {
    const project = await Project.findOrFail(v3Key(ctx).access.projectId)
    const tags = await badgeTags(project.id)
    return { badges: Object.fromEntries(tags.map((tag) => [tag, badgeUrls(project, tag)])) }
  }

  /** A browser's preflight: 204 with healthchecks' CORS headers, no key needed */
  preflight({ response }: HttpContext) {
    for (const [name, value] of Object.entries(CORS_HEADERS)) {
      response.header(name, value)
    }
    return response.noContent()
  }

  async status({ response }: HttpContext) {
    await CheckReads.databaseUp()
    return response.header('Content-Type', 'text/plain').send('OK')
  }
}
