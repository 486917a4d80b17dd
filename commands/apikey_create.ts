import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import UserService from '#services/accounts/user_service'

export default class ApikeyCreate extends BaseCommand {
  static commandName = 'apikey:create'
  static description = 'Create an API key for a user; the key is printed once, as the last line'
  static options: CommandOptions = { startApp: true }

  /**
   * Checked in run() rather than marked required: Ace validates required
   * flags even after `--help` has printed the help, and then fails.
   */
  @flags.string({ description: 'Email of the user who owns the key (required)' })
  declare email: string

  @flags.boolean({ description: 'The key may only read' })
  declare readOnly: boolean

  @flags.string({ description: 'A name to recognise the key by', default: 'cli' })
  declare name: string

  async run() {
    if (!this.email) {
      this.logger.error("Name the key's owner with --email")
      this.exitCode = 1
      return
    }
    const user = await UserService.findByEmail(this.email)
    if (!user) {
      this.logger.error(`No user with the email ${this.email}`)
      this.exitCode = 1
      return
    }
    const access = this.readOnly ? 'read-only' : 'read-write'
    const key = await UserService.createApiKey(user, access, this.name)
    this.logger.info(`Created a ${access} API key for ${user.email}. It is shown only now:`)
    console.log(key)
  }
}
