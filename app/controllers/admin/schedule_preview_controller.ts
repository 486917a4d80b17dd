import type { HttpContext } from '@adonisjs/core/http'
import { previewCron } from '#services/tokens/schedule_preview'

export default class SchedulePreviewController {
  /**
   * The next five runs of a cron schedule, for the Token form.
   */
  async show({ request }: HttpContext) {
    const schedule = String(request.input('schedule', '')).slice(0, 100)
    const tz = String(request.input('tz', 'UTC') || 'UTC').slice(0, 64)
    return previewCron(schedule, tz)
  }
}
