import { DateTime } from 'luxon'
import { randomBytes, randomUUID } from 'node:crypto'
import { BaseModel, beforeCreate, column } from '@adonisjs/lucid/orm'

/** What a member may do: see (read-only), change Tokens and Channels (manager), everything (owner). */
export type ProjectRole = 'owner' | 'manager' | 'read-only'

export const PROJECT_ROLES: ProjectRole[] = ['owner', 'manager', 'read-only']

/**
 * A Project owns Tokens, Channels and API keys; Users reach them as its members.
 */
export default class Project extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare uuid: string

  @column()
  declare name: string

  @column()
  declare ownerId: number

  /** The unguessable part of the Project's badge URLs. */
  @column({ serializeAs: null })
  declare badgeKey: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  static newBadgeKey() {
    return randomBytes(18).toString('hex')
  }

  @beforeCreate()
  static assignKeys(project: Project) {
    project.uuid ??= randomUUID()
    project.badgeKey ??= Project.newBadgeKey()
  }
}
