import appConfig from '@adonisjs/core/services/config'
import { ANY_CASE_UUID_RE } from '#lib/uuid'
import type { Infer } from '@vinejs/vine/types'
import type User from '#models/user'
import { defaultProjectId } from '#services/projects/project_access'
import Channel from '#models/channel'
import { fieldError } from '#validators/field_error'
import { isPlainlyPrivateUrl } from '#services/alerts/safe_http'
import { decodeCursorKey, page } from '#services/support/cursor'
import { channelConfigValidators } from '#validators/channel'
import type { ChannelKind } from '#services/alerts/channels/index'
import type { createChannelValidator, updateChannelValidator } from '#validators/channel'
import { PAGE_SIZE } from '#validators/page'
import { seedReminders } from '#services/alerts/reminder_rows'

type ChannelInput = Infer<typeof createChannelValidator>
type ChannelChanges = Infer<typeof updateChannelValidator>

const CHANNEL_CURSOR = /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)\|[0-9a-f-]{36}$/

/**
 * Alert Channels: each kind validates its own config.
 */
export default class ChannelService {
  static async validConfig(kind: ChannelKind, config: unknown) {
    if (!config || typeof config !== 'object') {
      throw fieldError('config', 'The config field must be an object', 'object')
    }
    const { config: valid } = await channelConfigValidators[kind].validate({ config })
    const url = 'url' in valid ? valid.url : undefined
    if (
      url &&
      !appConfig.get<boolean>('ngip.integrationsAllowPrivateIps') &&
      isPlainlyPrivateUrl(url)
    ) {
      throw fieldError(
        'config.url',
        'This address is private or loopback, where notifications are not sent; INTEGRATIONS_ALLOW_PRIVATE_IPS=true allows it',
        'private'
      )
    }
    return valid as Record<string, unknown>
  }

  static async create(user: User, input: ChannelInput, inProject?: number) {
    const projectId = inProject ?? (await defaultProjectId(user.id))
    const config = await this.validConfig(input.kind, input.config)
    return Channel.create({
      userId: user.id,
      projectId,
      kind: input.kind,
      name: input.name,
      config,
      repeatInterval: input.repeat_interval ?? null,
    })
  }

  static async update(channel: Channel, changes: ChannelChanges) {
    if (changes.config !== undefined) {
      channel.config = await this.validConfig(channel.kind, changes.config)
    }
    channel.name = changes.name ?? channel.name
    const repeats = changes.repeat_interval !== undefined
    if (repeats) {
      channel.repeatInterval = changes.repeat_interval ?? null
    }
    await channel.save()
    if (repeats) {
      await seedReminders({ channelId: channel.id })
    }
    return channel
  }

  /**
   * Oldest first, paged on (created_at, id).
   */
  /** `projectId` null: every Project's (an admin's view). */
  static async list(projectId: number | null, filters: { limit?: number; cursor?: string }) {
    const limit = filters.limit ?? PAGE_SIZE.default
    const query = Channel.query()
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .limit(limit + 1)
    if (projectId !== null) {
      query.where('project_id', projectId)
    }
    if (filters.cursor) {
      const [at, id] = decodeCursorKey(filters.cursor, CHANNEL_CURSOR).split('|')
      query.whereRaw('(created_at, id) > (?::timestamptz, ?::uuid)', [at, id])
    }
    return page(await query, limit, (channel) => `${channel.createdAt.toISO()}|${channel.id}`)
  }

  /** One Channel by id; null for a missing one or an id that is none. */
  static async find(id: string) {
    return ANY_CASE_UUID_RE.test(id) ? Channel.find(id.toLowerCase()) : null
  }
}
