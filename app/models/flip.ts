import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Token from '#models/token'

export default class Flip extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tokenId: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column()
  declare oldStatus: string

  @column()
  declare newStatus: string

  @column()
  declare reason: string

  /** Why it notified nobody: `maintenance`, `dependency`; null when it notified */
  @column()
  declare silenced: 'maintenance' | 'dependency' | null

  @belongsTo(() => Token)
  declare token: BelongsTo<typeof Token>
}
