import type { HttpContext } from '@adonisjs/core/http'
import { previewSchedule } from '#services/tokens/schedule_preview'

export default class SchedulePreviewController {
  /**
   * The next five runs of a cron or OnCalendar schedule, for the Token form.
   */
  async show({ request }: HttpContext) {
    const kind = request.input('kind') === 'oncalendar' ? 'oncalendar' : 'cron'
    const schedule = String(request.input('schedule', '')).slice(0, 100)
    const tz = String(request.input('tz', 'UTC') || 'UTC').slice(0, 64)
    return previewSchedule(kind, schedule, tz)
  }
}
