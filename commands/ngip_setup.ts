import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { ensureDatabase, migrate } from '#services/operations/database_setup'
import { ensureQuickstart } from '#services/accounts/quickstart'
import { quickstartLines } from '#lib/quickstart_text'
import TokenRegistry from '#services/registry/token_registry'

export default class NgipSetup extends BaseCommand {
  static commandName = 'ngip:setup'
  static description =
    "Create the database if missing, migrate it, seed the quick-start admin, API key and demo Token on the first start and print what still works (--provision: a deployed environment's first admin and API key)"
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the credentials as one JSON line' })
  declare json: boolean

  @flags.boolean({
    description:
      'Deployed environment: seed the first admin and an API key through Secrets Manager instead of the quick start; prints no secret',
  })
  declare provision: boolean

  @flags.string({
    description: 'With --provision: ARN of the secret with the admin {email, password}',
  })
  declare adminSecret?: string

  @flags.string({ description: 'With --provision: ARN of the secret the API key is kept in' })
  declare apiKeySecret?: string

  @flags.string({ description: 'With --provision: the API key name', default: 'stage-test' })
  declare apiKeyName: string

  async run() {
    if (this.provision && (!this.adminSecret || !this.apiKeySecret)) {
      this.logger.error('--provision needs --admin-secret and --api-key-secret')
      this.exitCode = 1
      return
    }
    if (await ensureDatabase()) {
      this.logger.info('created the database')
    }
    const applied = await migrate()
    if (applied.length > 0) {
      this.logger.info(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'}`)
    }
    if (this.provision) {
      await this.provisionDeployed(this.adminSecret!, this.apiKeySecret!)
      await TokenRegistry.sync()
      return
    }
    const credentials = await ensureQuickstart(this.app.makePath('storage/quickstart.json'))
    await TokenRegistry.sync()
    if (this.json) {
      console.log(JSON.stringify(credentials))
    } else {
      for (const line of quickstartLines(credentials)) {
        this.logger.success(line)
      }
    }
  }

  /** Seeds a deployed environment; every secret stays in Secrets Manager. */
  private async provisionDeployed(adminSecret: string, apiKeySecret: string) {
    // Loaded here: the AWS SDK is for deployed environments, not every `pnpm start`.
    const { firstSetup } = await import('#services/accounts/first_setup')
    const done = await firstSetup({ adminSecret, apiKeySecret, apiKeyName: this.apiKeyName }).catch(
      (error: Error) => {
        this.logger.error(error.message)
        this.exitCode = 1
      }
    )
    if (!done) {
      return
    }
    this.logger.info(
      done.admin === 'created'
        ? `created the admin ${done.email}; the password is in ${adminSecret}`
        : `the admin ${done.email} exists; its password is left as it is`
    )
    this.logger.info(
      done.apiKey === 'created'
        ? `created the API key "${this.apiKeyName}" and stored it in ${apiKeySecret}`
        : `the API key in ${apiKeySecret} still works; kept`
    )
  }
}
