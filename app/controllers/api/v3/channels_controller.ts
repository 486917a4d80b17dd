import type { HttpContext } from '@adonisjs/core/http'
import CheckReads from '#services/api_v3/check_reads'
import { channelDict } from '#transformers/check_v3_transformer'
import { v3Key } from '#policies/v3_visible'
import { CORS_HEADERS } from '#middleware/api_v3_middleware'

/**
 * The Channels a key sees (healthchecks' `/api/v3/channels/`), and the
 * service status (`/api/v3/status/`).
 */
export default class ChannelsController {
  async index(ctx: HttpContext) {
    const channels = await CheckReads.channels(v3Key(ctx).user)
    return { channels: channels.map(channelDict) }
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
