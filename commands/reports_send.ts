import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { ReportPass } from '#services/alerts/report_pass'

export default class ReportsSend extends BaseCommand {
  static commandName = 'reports:send'
  static description =
    "Queue the email reports due now (Users' daily or weekly reports; one pass of the scheduler)"
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the outcome as one JSON line' })
  declare json: boolean

  async run() {
    const queued = await new ReportPass().runOnce()
    if (this.json) {
      console.log(JSON.stringify({ queued }))
    } else {
      this.logger.success(`${queued} report${queued === 1 ? '' : 's'} queued`)
    }
  }
}
