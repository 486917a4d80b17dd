import type { HttpContext } from '@adonisjs/core/http'
import ChannelService from '#services/channel_service'
import NotificationService from '#services/notification_service'

export default class ChannelTestsController {
  /**
   * Sends a test notification now; a failure is also kept as the Channel's last error.
   */
  async store({ bouncer, params, response, session }: HttpContext) {
    const channel = await ChannelService.findAuthorized(bouncer, params.id, 'update')
    const result = await NotificationService.sendTest(channel)
    if (result.ok) {
      session.flash('success', `Test notification sent to "${channel.name}"`)
    } else {
      session.flash('error', `The test notification to "${channel.name}" failed: ${result.error}`)
    }
    return response.redirect().toRoute('channels.index')
  }
}
