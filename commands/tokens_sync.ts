import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import TokenRegistry from '#services/registry/token_registry'

export default class TokensSync extends BaseCommand {
  static commandName = 'tokens:sync'
  static description =
    "Bring the ping edge's Token set in Redis in step with PostgreSQL (adds and removes in small steps)"
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Tokens read from PostgreSQL a page (default 5000)' })
  declare pageSize?: number

  @flags.boolean({ description: 'Print the outcome as one JSON line (with the time it took)' })
  declare json: boolean

  async run() {
    if (this.pageSize !== undefined && (!Number.isInteger(this.pageSize) || this.pageSize < 1)) {
      this.logger.error('--page-size must be a whole number of at least 1')
      this.exitCode = 1
      return
    }
    let reported = -1
    const started = performance.now()
    const result = await TokenRegistry.sync({
      pageSize: this.pageSize,
      onProgress: ({ phase, checked, total }) => {
        if (this.json || phase !== 'tokens' || total === 0) {
          return
        }
        const tenth = Math.floor((checked / total) * 10)
        if (tenth > reported) {
          reported = tenth
          this.logger.info(`${checked} of ${total} Tokens checked`)
        }
      },
    })
    if (this.json) {
      console.log(JSON.stringify({ ...result, busy: !result, ms: performance.now() - started }))
      return
    }
    if (!result) {
      this.logger.info('Another tokens:sync is running; this one stops without changes')
      return
    }
    const plural = (count: number) => (count === 1 ? '' : 's')
    this.logger.success(
      `The ping edge knows ${result.tokens} Token${plural(result.tokens)} ` +
        `(${result.added} added, ${result.removed} removed)`
    )
  }
}
