import type { HttpContext } from '@adonisjs/core/http'
import CheckReads from '#services/api_v3/check_reads'
import { channelDict } from '#transformers/check_v3_transformer'
import { v3Key } from '#policies/v3_visible'

/**
 * The Channels a key sees (healthchecks' `/api/v3/channels/`), and the
 * service status (`/api/v3/status/`).
 */
export default class ChannelsController {
  async index(ctx: HttpContext) {
    const channels = await CheckReads.channels(v3Key(ctx).user)
    return { channels: channels.map(channelDict) }
  }

  async status({ response }: HttpContext) {
    await CheckReads.databaseUp()
    return response.header('Content-Type', 'text/plain').send('OK')
  }
}
