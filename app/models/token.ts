import { DateTime } from 'luxon'
import { randomUUID } from 'node:crypto'
import {
  BaseModel,
  beforeCreate,
  belongsTo,
  column,
  hasMany,
  manyToMany,
} from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany, ManyToMany } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import Ping from '#models/ping'
import Flip from '#models/flip'
import Channel from '#models/channel'
import { maintenanceEnd } from '#models/maintenance_window'
import {
  displayStatus,
  refreshDeadline,
  snooze as snoozeState,
  pause as pauseState,
  resume as resumeState,
  type DisplayStatus,
  type StoredStatus,
  type TokenKind,
  type FlipChange,
  type TokenState,
} from '#models/token_state'

export default class Token extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  /** The ping UUID; the Token's id in the API and in ping URLs. */
  @column()
  declare uuid: string

  @column()
  declare userId: number

  /** The Project that owns it; its members reach it. */
  @column()
  declare projectId: number

  @column()
  declare name: string

  @column()
  declare slug: string | null

  @column()
  declare tags: string[]

  @column()
  declare desc: string

  @column()
  declare kind: TokenKind

  /** Seconds between pings (simple schedule) */
  @column()
  declare timeout: number

  /** Seconds of lateness allowed before going down */
  @column()
  declare grace: number

  @column()
  declare schedule: string

  @column()
  declare tz: string

  @column()
  declare status: StoredStatus

  @column()
  declare manualResume: boolean

  @column()
  declare nPings: number

  @column.dateTime()
  declare lastPingAt: DateTime | null

  @column()
  declare lastDurationMs: number | null

  @column.dateTime()
  declare lastStartAt: DateTime | null

  @column()
  declare lastStartRid: string | null

  @column.dateTime()
  declare alertAfter: DateTime | null

  /** The end of an ad hoc maintenance window */
  @column.dateTime()
  declare snoozeUntil: DateTime | null

  /** A cron line opening a scheduled maintenance window; empty for none */
  @column()
  declare maintenanceSchedule: string

  @column()
  declare maintenanceMinutes: number

  @column()
  declare maintenanceTz: string

  /** The end of the window covering alertAfter (token_state.ts keeps it) */
  @column.dateTime()
  declare quietUntil: DateTime | null
  /** Seconds a started run may take; null: its grace applies */
  @column()
  declare maxRuntime: number | null

  /** Seconds a success must follow the previous one by, or the Token warns */
  @column()
  declare minInterval: number | null

  /** Seconds a run must last, or the Token warns */
  @column()
  declare minDuration: number | null

  /** Failures in a row that take the Token down */
  @column()
  declare failThreshold: number

  /** Failures since the last success */
  @column()
  declare consecutiveFails: number

  /** '' for any method, 'POST' to ignore GET and HEAD pings */
  @column()
  declare methods: string

  /** Look for the keywords in an email ping's subject */
  @column()
  declare filterSubject: boolean

  /** Look for the keywords in a ping's body */
  @column()
  declare filterBody: boolean

  /** Comma-separated keywords (ping_filters.ts) */
  @column()
  declare startKw: string

  @column()
  declare successKw: string

  @column()
  declare failureKw: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @hasMany(() => Ping)
  declare pings: HasMany<typeof Ping>

  @hasMany(() => Flip)
  declare flips: HasMany<typeof Flip>

  @manyToMany(() => Channel, { pivotTable: 'token_channels' })
  declare channels: ManyToMany<typeof Channel>

  /** The Tokens this one depends on: while one is down, this one's downs notify nobody */
  @manyToMany(() => Token, {
    pivotTable: 'token_dependencies',
    pivotForeignKey: 'child_id',
    pivotRelatedForeignKey: 'parent_id',
  })
  declare parents: ManyToMany<typeof Token>

  /** The Tokens that depend on this one */
  @manyToMany(() => Token, {
    pivotTable: 'token_dependencies',
    pivotForeignKey: 'parent_id',
    pivotRelatedForeignKey: 'child_id',
  })
  declare children: ManyToMany<typeof Token>

  /**
   * The fields the status rules work on (token_state.ts).
   */
  toState(): TokenState {
    return {
      kind: this.kind,
      timeout: this.timeout,
      grace: this.grace,
      schedule: this.schedule,
      tz: this.tz,
      status: this.status,
      manualResume: this.manualResume,
      nPings: this.nPings,
      lastPingAt: this.lastPingAt?.toJSDate() ?? null,
      lastDurationMs: this.lastDurationMs,
      lastStartAt: this.lastStartAt?.toJSDate() ?? null,
      lastStartRid: this.lastStartRid,
      alertAfter: this.alertAfter?.toJSDate() ?? null,
      snoozeUntil: this.snoozeUntil?.toJSDate() ?? null,
      maintenanceSchedule: this.maintenanceSchedule ?? '',
      maintenanceMinutes: this.maintenanceMinutes ?? 0,
      maintenanceTz: this.maintenanceTz ?? 'UTC',
      quietUntil: this.quietUntil?.toJSDate() ?? null,
      maxRuntime: this.maxRuntime ?? null,
      minInterval: this.minInterval ?? null,
      minDuration: this.minDuration ?? null,
      failThreshold: this.failThreshold ?? 1,
      consecutiveFails: this.consecutiveFails ?? 0,
      methods: this.methods ?? '',
      filterSubject: this.filterSubject ?? false,
      filterBody: this.filterBody ?? false,
      startKw: this.startKw ?? '',
      successKw: this.successKw ?? '',
      failureKw: this.failureKw ?? '',
    }
  }

  /**
   * Takes back the fields the status rules changed.
   */
  applyState(state: TokenState) {
    const toDateTime = (date: Date | null) => (date ? DateTime.fromJSDate(date) : null)
    this.status = state.status
    this.nPings = state.nPings
    this.lastPingAt = toDateTime(state.lastPingAt)
    this.lastDurationMs = state.lastDurationMs
    this.lastStartAt = toDateTime(state.lastStartAt)
    this.lastStartRid = state.lastStartRid
    this.alertAfter = toDateTime(state.alertAfter)
    this.snoozeUntil = toDateTime(state.snoozeUntil)
    this.quietUntil = toDateTime(state.quietUntil)
    this.consecutiveFails = state.consecutiveFails
  }

  displayStatus(now = new Date()): DisplayStatus {
    return displayStatus(this.toState(), now)
  }

  /** Stops monitoring (token_state's pause), keeping the change on the model. */
  pause(): FlipChange | null {
    return this.#apply(pauseState)
  }

  /** Starts monitoring afresh (token_state's resume). */
  resume(): FlipChange | null {
    return this.#apply(resumeState)
  }

  /**
   * Recomputes the deadline after a change of schedule, grace or windows.
   * Recomputes the deadline after a schedule, grace or max_runtime change.
   */
  refreshAlertAfter(now = new Date()) {
    this.#apply((state) => {
      refreshDeadline(state, now)
      return null
    })
  }

  /** Opens an ad hoc maintenance window of `minutes` from `now`; 0 ends it. */
  snooze(minutes: number, now = new Date()) {
    this.#apply((state) => {
      snoozeState(state, now, minutes)
      return null
    })
  }

  /** The end of the maintenance window the Token is in at `now`, or null. */
  maintenanceEnd(now = new Date()): Date | null {
    return maintenanceEnd(this.toState(), now)
  }

  #apply(change: (state: TokenState) => FlipChange | null): FlipChange | null {
    const state = this.toState()
    const flip = change(state)
    this.applyState(state)
    return flip
  }

  @beforeCreate()
  static assignUuid(token: Token) {
    token.uuid ??= randomUUID()
  }
}
