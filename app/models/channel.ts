import { DateTime } from 'luxon'
import { randomUUID } from 'node:crypto'
import { BaseModel, beforeCreate, column, belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

/**
 * The kinds a Channel may be: the registry in app/services/alerts/channels
 * adds each of its kinds here (a model imports no service).
 */
export interface ChannelKindRegistry {}

export type ChannelKind = keyof ChannelKindRegistry & string

export default class Channel extends BaseModel {
  static selfAssignPrimaryKey = true

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare userId: number

  /** The Project that owns it; its members reach it. */
  @column()
  declare projectId: number

  @column()
  declare kind: ChannelKind

  @column()
  declare name: string

  @column()
  declare config: Record<string, unknown>

  /** Seconds between repeats of a down notice while the Token stays down; null: never */
  @column()
  declare repeatInterval: number | null

  @column()
  declare lastError: string | null

  @column.dateTime()
  declare lastNotifyAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @beforeCreate()
  static assignId(channel: Channel) {
    channel.id ??= randomUUID()
  }
}
