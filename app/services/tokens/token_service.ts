import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import { defaultProjectId } from '#services/projects/project_access'
import Token from '#models/token'
import { TOKEN_DEFAULTS } from '#models/token_defaults'
import Flip from '#models/flip'
import Channel from '#models/channel'
import TokenRegistry from '#services/registry/token_registry'
import { fieldError } from '#validators/field_error'
import type { FlipChange, TokenKind } from '#models/token_state'
import { scheduleSyntax } from '#models/token_schedule'
import { normaliseTags, tokenScheduleError } from '#validators/token'
import { setParents } from '#services/tokens/token_dependencies'
import type { Infer } from '@vinejs/vine/types'
import type { createTokenValidator, updateTokenValidator } from '#validators/token'

export type TokenInput = Infer<typeof createTokenValidator>
export type TokenChanges = Infer<typeof updateTokenValidator>

type FilterInput = Pick<
  TokenChanges,
  'methods' | 'filter_subject' | 'filter_body' | 'start_kw' | 'success_kw' | 'failure_kw'
>

/** The ping filters as the model names them: each given field, else its fallback. */
function filterFields(
  input: FilterInput,
  fallback: Omit<Required<FilterInput>, 'methods'> & { methods: string }
) {
  return {
    methods: input.methods ?? fallback.methods,
    filterSubject: input.filter_subject ?? fallback.filter_subject,
    filterBody: input.filter_body ?? fallback.filter_body,
    startKw: input.start_kw ?? fallback.start_kw,
    successKw: input.success_kw ?? fallback.success_kw,
    failureKw: input.failure_kw ?? fallback.failure_kw,
  }
}

/**
 * Refuses a calendar kind whose schedule does not read in its syntax: the
 * validator saw the schedule only when it was sent.
 */
function assertSchedule(kind: TokenKind, schedule: string, sent: boolean) {
  if (kind === 'simple') {
    return
  }
  const error = tokenScheduleError(schedule, kind)
  if (error !== null) {
    const named = sent ? 'The schedule field' : `The Token's schedule (${schedule})`
    throw fieldError('schedule', `${named} ${error} for kind ${kind}`, 'schedule')
  }
}

/**
 * Token changes shared by the REST API, the admin UI and commands; each
 * status change writes its Flip in the same transaction.
 */
export default class TokenService {
  /**
   * Creates a Token, or with `unique` returns the user's existing Token with
   * the same name or slug (`created: false`), as healthchecks does.
   */
  static async create(user: User, input: TokenInput, inProject?: number) {
    const projectId = inProject ?? (await defaultProjectId(user.id))
    const existing = await this.#findSame(projectId, input)
    if (existing) {
      return { token: existing, created: false }
    }
    assertSchedule(
      input.kind ?? TOKEN_DEFAULTS.kind,
      input.schedule ?? TOKEN_DEFAULTS.schedule,
      input.schedule !== undefined
    )
    const channelIds = await this.#ownedChannels(projectId, input.channels)
    await this.#assertSlugFree(user, input.slug ?? null)
    const token = await db.transaction(async (trx) => {
      const created = await Token.create(
        {
          userId: user.id,
          projectId,
          name: input.name,
          slug: input.slug ?? null,
          tags: normaliseTags(input.tags) ?? [...TOKEN_DEFAULTS.tags],
          desc: input.desc ?? TOKEN_DEFAULTS.desc,
          // a schedule alone makes a cron or OnCalendar Token, as healthchecks reads it
          kind:
            input.kind ??
            (input.schedule === undefined ? TOKEN_DEFAULTS.kind : scheduleSyntax(input.schedule)),
          timeout: input.timeout ?? TOKEN_DEFAULTS.timeout,
          grace: input.grace ?? TOKEN_DEFAULTS.grace,
          schedule: input.schedule ?? TOKEN_DEFAULTS.schedule,
          tz: input.tz ?? TOKEN_DEFAULTS.tz,
          manualResume: input.manual_resume ?? TOKEN_DEFAULTS.manual_resume,
          maxRuntime: input.max_runtime ?? TOKEN_DEFAULTS.max_runtime,
          minInterval: input.min_interval ?? TOKEN_DEFAULTS.min_interval,
          minDuration: input.min_duration ?? TOKEN_DEFAULTS.min_duration,
          failThreshold: input.fail_threshold ?? TOKEN_DEFAULTS.fail_threshold,
          ...filterFields(input, TOKEN_DEFAULTS),
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
    const channelIds = await this.#ownedChannels(token.projectId, changes.channels)
    if (changes.slug !== undefined && changes.slug !== token.slug) {
      await this.#assertSlugFree(owner, changes.slug)
    }
    token.merge({
      name: changes.name ?? token.name,
      slug: changes.slug === undefined ? token.slug : changes.slug,
      tags: normaliseTags(changes.tags) ?? token.tags,
      desc: changes.desc ?? token.desc,
      // as healthchecks: a schedule alone makes it cron or oncalendar, a timeout alone simple
      kind:
        changes.kind ??
        (changes.schedule !== undefined
          ? scheduleSyntax(changes.schedule)
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
      ...filterFields(changes, {
        methods: token.methods,
        filter_subject: token.filterSubject,
        filter_body: token.filterBody,
        start_kw: token.startKw,
        success_kw: token.successKw,
        failure_kw: token.failureKw,
      }),
    })
    // a kind changed alone must still fit the schedule the Token keeps
    assertSchedule(token.kind, token.schedule, changes.schedule !== undefined)
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

  static async #findSame(projectId: number, input: TokenInput) {
    if (!input.unique?.length) {
      return null
    }
    const query = Token.query()
      .where('project_id', projectId)
      .preload('channels')
      .preload('parents')
    query.where((q) => {
      for (const field of input.unique!) {
        q.orWhere(field, field === 'name' ? input.name : (input.slug ?? ''))
      }
    })
    return query.orderBy('id').first()
  }

  static async #ownedChannels(projectId: number, ids: string[] | undefined) {
    if (!ids) {
      return null
    }
    const owned = await Channel.query()
      .where('project_id', projectId)
      .whereIn('id', ids)
      .select('id')
    if (owned.length !== ids.length) {
      throw fieldError('channels', 'Every channel must be one of the Project’s Channels', 'exists')
    }
    return ids
  }

  static async #assertSlugFree(user: User, slug: string | null) {
    if (slug && (await Token.query().where('user_id', user.id).where('slug', slug).first())) {
      throw fieldError('slug', 'You have a Token with this slug already', 'unique')
    }
  }
}
