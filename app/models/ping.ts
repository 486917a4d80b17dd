import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Token from '#models/token'

export type PingKind = 'success' | 'start' | 'fail' | 'log' | 'ign'

export default class Ping extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tokenId: number

  @column()
  declare kind: PingKind

  @column.dateTime()
  declare createdAt: DateTime

  @column()
  declare method: string

  @column()
  declare remoteAddr: string

  @column()
  declare userAgent: string

  @column()
  declare exitStatus: number | null

  @column()
  declare rid: string | null

  @column()
  declare durationMs: number | null

  @column()
  declare body: Buffer | null

  @column()
  declare streamId: string | null

  @belongsTo(() => Token)
  declare token: BelongsTo<typeof Token>
}
