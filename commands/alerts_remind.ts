import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { ReminderPass } from '#services/alerts/reminders'

export default class AlertsRemind extends BaseCommand {
  static commandName = 'alerts:remind'
  static description =
    "Queue the repeat alerts due now: down Tokens reminded on their Channels' repeat interval (one pass of the scheduler)"
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the outcome as one JSON line' })
  declare json: boolean

  async run() {
    const queued = await new ReminderPass().runOnce()
    if (this.json) {
      console.log(JSON.stringify({ queued }))
    } else {
      this.logger.success(`${queued} reminder${queued === 1 ? '' : 's'} queued`)
    }
  }
}
