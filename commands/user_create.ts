import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import UserService from '#services/accounts/user_service'
import { PASSWORD_MIN_LENGTH, PASSWORD_RULE } from '#validators/rules'

export default class UserCreate extends BaseCommand {
  static commandName = 'user:create'
  static description = 'Create a user who signs in to the admin UI'
  static options: CommandOptions = { startApp: true }

  /** Email and password are checked in run(); see ApikeyCreate */
  @flags.string({ description: 'Email address (the login; required)' })
  declare email: string

  @flags.string({ description: `Password (${PASSWORD_RULE}; required)` })
  declare password: string

  @flags.boolean({ description: 'Make the user an admin, who sees everything' })
  declare admin: boolean

  async run() {
    if (!this.email || !this.password) {
      this.logger.error('Give the new user an --email and a --password')
      this.exitCode = 1
      return
    }
    if (!/^[^\s@]+@[^\s@]+$/.test(this.email)) {
      this.logger.error(`"${this.email}" is not an email address`)
      this.exitCode = 1
      return
    }
    if (this.password.length < PASSWORD_MIN_LENGTH) {
      this.logger.error(`The password must have ${PASSWORD_RULE}`)
      this.exitCode = 1
      return
    }
    if (await UserService.findByEmail(this.email)) {
      this.logger.error(`A user with the email ${this.email} exists already`)
      this.exitCode = 1
      return
    }
    const user = await UserService.create({
      email: this.email,
      password: this.password,
      isAdmin: this.admin,
    })
    this.logger.success(`Created ${user.isAdmin ? 'admin' : 'user'} ${user.email} (id ${user.id})`)
  }
}
