import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import Token from '#models/token'
import { TOKEN_DEFAULTS } from '#models/token_defaults'
import Flip from '#models/flip'
import Channel from '#models/channel'
import TokenRegistry from '#services/registry/token_registry'
import { fieldError } from '#validators/field_error'
import type { FlipChange } from '#models/token_state'
import { normaliseTags } from '#validators/token'
import { setParents } from '#services/tokens/token_dependencies'
import type { Infer } from '@vinejs/vine/types'
import type { createTokenValidator, updateTokenValidator } from '#validators/token'

export type TokenInput = Infer<typeof createTokenValidator>
export type TokenChanges = Infer<typeof updateTokenValidator>

/**
 * Token changes shared by the REST API, the admin UI and commands; each
 * status change writes its Flip in the same transaction.
 */
export default class TokenService {
  /**
   * Creates a Token, or with `unique` returns the user's existing Token with
   * the same name or slug (`created: false`), as healthchecks does.
   */
  static async create(user: User, input: TokenInput) {
    const existing = await this.#findSame(user, input)
    if (existing) {
      return { token: existing, created: false }
    }
    const channelIds = await this.#ownedChannels(user, input.channels)
    await this.#assertSlugFree(user, input.slug ?? null)
    const token = await db.transaction(async (trx) => {
      const created = await Token.create(
        {
          userId: user.id,
          name: input.name,
          slug: input.slug ?? null,
          tags: normaliseTags(input.tags) ?? [...TOKEN_DEFAULTS.tags],
          desc: input.desc ?? TOKEN_DEFAULTS.desc,
          // a schedule alone makes a cron Token, as healthchecks does
          kind: input.kind ?? (input.schedule === undefined ? TOKEN_DEFAULTS.kind : 'cron'),
          timeout: input.timeout ?? TOKEN_DEFAULTS.timeout,
          grace: input.grace ?? TOKEN_DEFAULTS.grace,
          schedule: input.schedule ?? TOKEN_DEFAULTS.schedule,
          tz: input.tz ?? TOKEN_DEFAULTS.tz,
          manualResume: input.manual_resume ?? TOKEN_DEFAULTS.manual_resume,
          maxRuntime: input.max_runtime ?? TOKEN_DEFAULTS.max_runtime,
          minInterval: input.min_interval ?? TOKEN_DEFAULTS.min_interval,
          minDuration: input.min_duration ?? TOKEN_DEFAULTS.min_duration,
          failThreshold: input.fail_threshold ?? TOKEN_DEFAULTS.fail_threshold,
          maintenanceSchedule: input.maintenance_schedule ?? '',
          maintenanceMinutes: input.maintenance_minutes ?? 0,
          maintenanceTz: input.maintenance_tz ?? 'UTC',
          consecutiveFails: 0,
          status: 'new',
          nPings: 0,
        },
        { client: trx }
      )
      if (channelIds) {
        await created.related('channels').sync(channelIds, true, trx)
      }
      if (input.depends_on) {
        await setParents(trx, created, input.depends_on)
      }
      return created
    })
    await TokenRegistry.track(token)
    await this.loadRelations(token)
    return { token, created: true }
  }

  static async update(token: Token, changes: TokenChanges) {
    const owner = await token.related('user').query().firstOrFail()
    const channelIds = await this.#ownedChannels(owner, changes.channels)
    if (changes.slug !== undefined && changes.slug !== token.slug) {
      await this.#assertSlugFree(owner, changes.slug)
    }
    token.merge({
      name: changes.name ?? token.name,
      slug: changes.slug === undefined ? token.slug : changes.slug,
      tags: normaliseTags(changes.tags) ?? token.tags,
      desc: changes.desc ?? token.desc,
      // as healthchecks: a schedule alone makes it cron, a timeout alone simple
      kind:
        changes.kind ??
        (changes.schedule !== undefined
          ? 'cron'
          : changes.timeout !== undefined
            ? 'simple'
            : token.kind),
      timeout: changes.timeout ?? token.timeout,
      grace: changes.grace ?? token.grace,
      schedule: changes.schedule ?? token.schedule,
      tz: changes.tz ?? token.tz,
      manualResume: changes.manual_resume ?? token.manualResume,
      maintenanceSchedule:
        changes.maintenance_schedule === undefined
          ? token.maintenanceSchedule
          : (changes.maintenance_schedule ?? ''),
      maintenanceMinutes: changes.maintenance_minutes ?? token.maintenanceMinutes,
      maintenanceTz: changes.maintenance_tz ?? token.maintenanceTz,
      // null turns a run rule off, so only a field left out keeps the old value
      maxRuntime: changes.max_runtime === undefined ? token.maxRuntime : changes.max_runtime,
      minInterval: changes.min_interval === undefined ? token.minInterval : changes.min_interval,
      minDuration: changes.min_duration === undefined ? token.minDuration : changes.min_duration,
      failThreshold: changes.fail_threshold ?? token.failThreshold,
    })
    token.refreshAlertAfter()
    await db.transaction(async (trx) => {
      token.useTransaction(trx)
      await token.save()
      if (channelIds) {
        await token.related('channels').sync(channelIds, true, trx)
      }
      if (changes.depends_on) {
        await setParents(trx, token, changes.depends_on)
      }
    })
    await TokenRegistry.track(token)
    await this.loadRelations(token)
    return token
  }

  /**
   * An ad hoc maintenance window of `minutes` from `now` (0 ends it), as a
   * `/snooze` ping does through the worker.
   */
  static async snooze(token: Token, minutes: number, now = new Date()) {
    await db.transaction(async (trx) => {
      const locked = await Token.query({ client: trx })
        .where('id', token.id)
        .forUpdate()
        .firstOrFail()
      locked.snooze(minutes, now)
      await locked.save()
      token.merge(locked.$attributes)
    })
    return token
  }

  /** What the API and the pages show with a Token: its Channels and parents. */
  static async loadRelations(token: Token) {
    await token.load('channels')
    await token.load('parents')
  }

  static async remove(token: Token) {
    await token.delete()
    await TokenRegistry.untrack(token)
  }

  static async pause(token: Token) {
    return this.#changeStatus(token, (t) => t.pause())
  }

  static async resume(token: Token) {
    return this.#changeStatus(token, (t) => t.resume())
  }

  /**
   * Writes a Flip for a status change, in the transaction of the change.
   */
  static async writeFlip(trx: TransactionClientContract, token: Token, flip: FlipChange) {
    await Flip.create(
      {
        tokenId: token.id,
        oldStatus: flip.oldStatus,
        newStatus: flip.newStatus,
        reason: flip.reason,
      },
      { client: trx }
    )
  }

  static async #changeStatus(token: Token, change: (token: Token) => FlipChange | null) {
    await db.transaction(async (trx) => {
      const locked = await Token.query({ client: trx })
        .where('id', token.id)
        .forUpdate()
        .firstOrFail()
      const flip = change(locked)
      if (flip) {
        await locked.save()
        await this.writeFlip(trx, locked, flip)
      }
      token.merge(locked.$attributes)
    })
    return token
  }

  static async #findSame(user: User, input: TokenInput) {
    if (!input.unique?.length) {
      return null
    }
    const query = Token.query().where('user_id', user.id).preload('channels').preload('parents')
    query.where((q) => {
      for (const field of input.unique!) {
        q.orWhere(field, field === 'name' ? input.name : (input.slug ?? ''))
      }
    })
    return query.orderBy('id').first()
  }

  static async #ownedChannels(user: User, ids: string[] | undefined) {
    if (!ids) {
      return null
    }
    const owned = await Channel.query().where('user_id', user.id).whereIn('id', ids).select('id')
    if (owned.length !== ids.length) {
      throw fieldError('channels', 'Every channel must be one of your Channels', 'exists')
    }
    return ids
  }

  static async #assertSlugFree(user: User, slug: string | null) {
    if (slug && (await Token.query().where('user_id', user.id).where('slug', slug).first())) {
      throw fieldError('slug', 'You have a Token with this slug already', 'unique')
    }
  }
}
