import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import TokenRegistry from '#services/token_registry'

export default class TokensSync extends BaseCommand {
  static commandName = 'tokens:sync'
  static description = "Rebuild the ping edge's set of valid Tokens in Redis from PostgreSQL"
  static options: CommandOptions = { startApp: true }

  async run() {
    const count = await TokenRegistry.rebuild()
    this.logger.success(`The ping edge knows ${count} Token${count === 1 ? '' : 's'}`)
  }
}
