import { DateTime } from 'luxon'
import { randomBytes } from 'node:crypto'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, beforeCreate, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { type AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import Token from '#models/token'
import type { ReportPeriod } from '#models/report_schedule'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare fullName: string | null

  @column()
  declare isAdmin: boolean

  @column()
  declare isDisabled: boolean

  @column()
  declare pingKey: string

  /** The email report: `off`, `daily` or `weekly` (Mondays) */
  @column()
  declare reportPeriod: ReportPeriod

  /** The hour of the day (0–23, in `reportTz`) the report is sent */
  @column()
  declare reportHour: number

  @column()
  declare reportTz: string

  /** The end of the next period to report; null while reports are off */
  @column.dateTime()
  declare reportNextAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Token)
  declare tokens: HasMany<typeof Token>

  /**
   * API keys: shown once, stored as a hash, read-only or read-write.
   */
  static apiKeys = DbAccessTokensProvider.forModel(User, {
    table: 'api_keys',
    type: 'api_key',
    prefix: 'ngip_',
  })

  declare currentAccessToken?: AccessToken

  /** A fresh ping key: 22 random URL-safe characters. */
  static newPingKey() {
    return randomBytes(16).toString('base64url').slice(0, 22)
  }

  @beforeCreate()
  static assignPingKey(user: User) {
    user.pingKey ??= User.newPingKey()
  }
}
