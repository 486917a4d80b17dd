import type { HttpContext } from '@adonisjs/core/http'
import Notifier from '#services/alerts/notifier'
import { visibleChannel } from '#policies/visible'

export default class ChannelTestsController {
  /**
   * Sends a test notification now; a failure is also kept as the Channel's last error.
   */
  async store({ bouncer, params, response, session }: HttpContext) {
    const channel = await visibleChannel(bouncer, params.id, 'update')
    const result = await Notifier.sendTest(channel)
    if (result.ok) {
      session.flash('success', `Test notification sent to "${channel.name}"`)
    } else {
      session.flash('error', `The test notification to "${channel.name}" failed: ${result.error}`)
    }
    return response.redirect().toRoute('channels.index')
  }
}
