import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import LateDetector from '#services/tokens/late_detector'

export default class TokensLate extends BaseCommand {
  static commandName = 'tokens:late'
  static description =
    'Flip every overdue Token down now (one late-detection pass of the scheduler)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the outcome as one JSON line' })
  declare json: boolean

  async run() {
    const started = performance.now()
    const flipped = await new LateDetector().runOnce()
    const ms = performance.now() - started
    if (this.json) {
      console.log(JSON.stringify({ flipped, ms }))
    } else {
      this.logger.success(
        `${flipped} overdue Token${flipped === 1 ? '' : 's'} flipped down in ${ms.toFixed(0)} ms`
      )
    }
  }
}
