import type { HttpContext } from '@adonisjs/core/http'
import PingService from '#services/ping_service'

export default class PingsController {
  /**
   * One Ping with its whole body.
   */
  async show({ bouncer, params, view }: HttpContext) {
    const ping = await PingService.findAuthorized(bouncer, params.id)
    return view.render('pages/pings/show', { ping, token: ping.token })
  }
}
