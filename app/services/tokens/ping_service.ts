import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import config from '@adonisjs/core/services/config'
import type { Infer } from '@vinejs/vine/types'
import Ping from '#models/ping'
import Token from '#models/token'
import TokenService from '#services/tokens/token_service'
import { fieldError } from '#validators/field_error'
import { decodeCursor, page } from '#services/support/cursor'
import { recordPing } from '#models/token_state'
import { exitStatusAction } from '#lib/ping_url'
import type { createPingValidator, listPingsValidator } from '#validators/ping'
import { PAGE_SIZE } from '#validators/page'

type PingFilters = Infer<typeof listPingsValidator>
type PingInput = Infer<typeof createPingValidator>

/**
 * Pings across Tokens: lists, one by id, recorded by hand, deleted.
 */
export default class PingService {
  /**
   * Pings the user may see, newest first; `token` narrows to one Token.
   */
  /** `projectId` null: every Project's (an admin's view). */
  static async list(projectId: number | null, filters: PingFilters, token?: Token) {
    const limit = filters.limit ?? PAGE_SIZE.default
    const query = Ping.query()
      .orderBy('pings.id', 'desc')
      .limit(limit + 1)
    if (token) {
      // One Token's page reads the pings index alone.
      query.where('pings.token_id', token.id)
    } else {
      query
        .join('tokens', 'tokens.id', 'pings.token_id')
        .select('pings.*', 'tokens.uuid as token_uuid')
      if (projectId !== null) {
        query.where('tokens.project_id', projectId)
      }
      if (filters.token) {
        query.where('tokens.uuid', filters.token.toLowerCase())
      }
    }
    if (filters.kind) {
      query.where('pings.kind', filters.kind)
    }
    if (filters.since) {
      query.where('pings.created_at', '>=', filters.since)
    }
    if (filters.until) {
      query.where('pings.created_at', '<', filters.until)
    }
    if (filters.cursor) {
      query.where('pings.id', '<', decodeCursor(filters.cursor))
    }
    const rows = await query
    if (token) {
      rows.forEach((ping) => (ping.$extras.token_uuid = token.uuid))
    }
    return page(rows, limit)
  }

  /**
   * One Ping by id, with its Token; null for a missing one or an id that is none.
   */
  static async find(id: string) {
    const ping = /^\d{1,18}$/.test(id)
      ? await Ping.query().where('id', id).preload('token').first()
      : null
    if (ping) {
      ping.$extras.token_uuid = ping.token.uuid
    }
    return ping
  }

  /**
   * Records a Ping through the same rules as one from the edge.
   */
  static async record(
    token: Token,
    input: PingInput,
    source: { method: string; remoteAddr: string; userAgent: string }
  ) {
    // no exit status reads as a success
    const byExit = exitStatusAction(input.exit_status ?? 0)
    if (input.kind && input.exit_status !== undefined && input.exit_status !== null) {
      if (input.kind !== byExit) {
        throw fieldError(
          'exit_status',
          `Exit status ${input.exit_status} makes a ${byExit} Ping; leave kind out or send kind ${byExit}`,
          'exit_status'
        )
      }
    }
    const action = input.kind ?? byExit
    // cut where the edge cuts a ping's body
    const body = input.body
      ? Buffer.from(input.body).subarray(0, config.get<number>('ngip.pingBodyLimit'))
      : null
    return db.transaction(async (trx) => {
      const locked = await Token.query({ client: trx })
        .where('id', token.id)
        .forUpdate()
        .firstOrFail()
      const now = new Date()
      const state = locked.toState()
      // no method: the method filter is for HTTP pings; the keyword filters read the body
      const outcome = recordPing(state, { action, at: now, rid: input.rid ?? null, body })
      locked.applyState(state)
      await locked.save()
      if (outcome.flip) {
        await TokenService.writeFlip(trx, locked, outcome.flip)
      }
      const ping = await Ping.create(
        {
          tokenId: locked.id,
          kind: outcome.kind,
          createdAt: DateTime.fromJSDate(now),
          method: source.method,
          remoteAddr: source.remoteAddr,
          userAgent: source.userAgent.slice(0, 200),
          exitStatus: input.exit_status ?? null,
          rid: input.rid ?? null,
          durationMs: outcome.durationMs,
          body,
        },
        { client: trx }
      )
      ping.$extras.token_uuid = locked.uuid
      return ping
    })
  }
}
