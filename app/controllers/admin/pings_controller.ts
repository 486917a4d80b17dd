import type { HttpContext } from '@adonisjs/core/http'
import { visiblePing } from '#policies/visible'

export default class PingsController {
  /**
   * One Ping with its whole body.
   */
  async show({ bouncer, params, view }: HttpContext) {
    const ping = await visiblePing(bouncer, params.id)
    return view.render('pages/pings/show', { ping, token: ping.token })
  }
}
