import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import config from '@adonisjs/core/services/config'
import { PingPruner } from '#services/tokens/ping_pruner'

export default class PingsPrune extends BaseCommand {
  static commandName = 'pings:prune'
  static description =
    'Trim Tokens with Pings since their last pruning to PING_LOG_LIMIT (the scheduler’s sweep)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Visit every Token past the limit, not only those with new Pings' })
  declare full: boolean

  @flags.boolean({ description: 'Print the outcome as one JSON line' })
  declare json: boolean

  async run() {
    const limit = config.get<number>('ngip.pingLogLimit')
    const started = performance.now()
    const result = await new PingPruner(limit).sweep({ full: this.full })
    const ms = performance.now() - started
    if (this.json) {
      console.log(JSON.stringify({ ...result, ms }))
      return
    }
    this.logger.success(
      `${result.deleted} Pings deleted from ${result.visited} Tokens in ${ms.toFixed(0)} ms`
    )
  }
}
