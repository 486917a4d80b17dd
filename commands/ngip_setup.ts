import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { ensureDatabase, migrate } from '#services/database_setup'
import { ensureQuickstart } from '#services/quickstart'
import TokenRegistry from '#services/token_registry'

export default class NgipSetup extends BaseCommand {
  static commandName = 'ngip:setup'
  static description =
    'Create the database if missing, migrate it, seed the quick-start admin, API key and demo Token'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the credentials as one JSON line' })
  declare json: boolean

  async run() {
    if (await ensureDatabase()) {
      this.logger.info('created the database')
    }
    const applied = await migrate()
    if (applied.length > 0) {
      this.logger.info(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'}`)
    }
    const credentials = await ensureQuickstart(this.app.makePath('storage/quickstart.json'))
    await TokenRegistry.rebuild()
    if (this.json) {
      console.log(JSON.stringify(credentials))
    } else {
      this.logger.success(`Admin login: ${credentials.email} / ${credentials.password}`)
      this.logger.success(`API key: ${credentials.apiKey}`)
      this.logger.success(`Demo ping URL: ${credentials.demoPingUrl}`)
    }
  }
}
