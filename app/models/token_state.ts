import { MAX_RUN_MS, type PingAction } from '#lib/ping_message'
import { maintenanceEnd, type MaintenanceFields } from '#models/maintenance_window'
import { filteredAction, type PingFilters } from '#models/ping_filters'
import { nextRun } from '#models/token_schedule'

/**
 * A Token's status rules in one place, as pure functions over its state, so
 * the worker's batches, the REST API and the scheduler share them and unit
 * tests reach them without a database (healthchecks' Check.ping and
 * going_down_after). The caller persists the result in one transaction.
 */
/** How a Token's schedule is read: a period (`timeout`), a cron line or an OnCalendar expression */
export const TOKEN_KINDS = ['simple', 'cron', 'oncalendar'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]
/**
 * Stored statuses; `grace` and `started` are derived for display. `warning`: the last run
 * succeeded but came too soon or ended too quickly (min_interval, min_duration).
 */
export type StoredStatus = 'new' | 'up' | 'warning' | 'down' | 'paused'
export type DisplayStatus = StoredStatus | 'grace' | 'started'
export type StoredPingKind = PingAction | 'ign'

export interface TokenState extends MaintenanceFields, PingFilters {
  kind: TokenKind
  timeout: number
  grace: number
  schedule: string
  tz: string
  status: StoredStatus
  manualResume: boolean
  nPings: number
  lastPingAt: Date | null
  lastDurationMs: number | null
  lastStartAt: Date | null
  lastStartRid: string | null
  alertAfter: Date | null
  /** The end of the maintenance window that covers alertAfter, if one does */
  quietUntil: Date | null
  /** Seconds a started run may take before it goes down; null: its grace applies */
  maxRuntime: number | null
  /** Seconds a success must follow the previous success by, or the Token warns */
  minInterval: number | null
  /** Seconds a run must last, or the Token warns */
  minDuration: number | null
  /** Failures in a row that take the Token down */
  failThreshold: number
  /** Failures since the last success */
  consecutiveFails: number
}

/** The reason of the Flip that judges a Token again when the window it went down in ends. */
export const MAINTENANCE_END = 'maintenance_end'

export interface PingInput {
  action: PingAction
  at: Date
  rid: string | null
  /** The run's duration as the client reported it; kept over the measured one */
  durationMs?: number | null
  /** The HTTP method, for the method filter; absent for Pings recorded through the API */
  method?: string | null
  /** The body (and an email's subject), for the keyword filters */
  body?: Buffer | string | null
  subject?: string | null
}

export interface FlipChange {
  oldStatus: StoredStatus
  newStatus: StoredStatus
  reason: string
}

export interface PingOutcome {
  kind: StoredPingKind
  durationMs: number | null
  flip: FlipChange | null
}

function setStatus(state: TokenState, next: StoredStatus, reason: string): FlipChange | null {
  if (state.status === next) {
    return null
  }
  const flip = { oldStatus: state.status, newStatus: next, reason }
  state.status = next
  return flip
}

function endRun(state: TokenState, ping: PingInput): number | null {
  const start = state.lastStartAt
  if (!start || (ping.rid !== null && ping.rid !== state.lastStartRid)) {
    return null
  }
  state.lastStartAt = null
  state.lastStartRid = null
  const elapsed = ping.at.getTime() - start.getTime()
  return elapsed >= 0 && elapsed <= MAX_RUN_MS ? elapsed : null
}

/**
 * Applies one ping to the state (mutating it), read through the Token's
 * filters (ping_filters.ts), and says how to store the Ping and which Flip to
 * write. An ignored Ping (`ign`) is counted and changes nothing else.
 */
export function recordPing(state: TokenState, input: PingInput): PingOutcome {
  state.nPings += 1
  const action = filteredAction(state, input)
  if (action === 'ign' || (state.status === 'paused' && state.manualResume)) {
    return { kind: 'ign', durationMs: null, flip: null }
  }
  const ping = action === input.action ? input : { ...input, action }

  let flip: FlipChange | null = null
  let durationMs: number | null = null
  if (ping.action === 'start') {
    state.lastStartAt = ping.at
    state.lastStartRid = ping.rid
    if (state.status === 'paused') {
      flip = setStatus(state, state.lastPingAt ? 'up' : 'new', 'resumed')
    }
  } else if (ping.action === 'success' || ping.action === 'fail') {
    const measured = endRun(state, ping)
    durationMs = ping.durationMs ?? measured
    const previousSuccessAt = lastSuccessAt(state)
    const wasPinged = state.lastPingAt !== null
    state.lastPingAt = ping.at
    state.lastDurationMs = durationMs
    flip =
      ping.action === 'fail'
        ? recordFail(state, wasPinged)
        : recordSuccess(state, ping.at, previousSuccessAt, durationMs)
  }
  if (flip?.newStatus === 'down') {
    // down inside a window: judged again when it ends (the late pass sees alert_after)
    state.alertAfter = maintenanceEnd(state, ping.at)
    state.quietUntil = null
  } else if (state.status !== 'down') {
    setDeadline(state)
  }
  return { kind: ping.action, durationMs, flip }
}

/**
 * Sets the deadline and the end of the window that covers it.
 */
function setDeadline(state: TokenState) {
  state.alertAfter = computeAlertAfter(state)
  state.quietUntil = state.alertAfter ? maintenanceEnd(state, state.alertAfter) : null
}

/**
 * The deadline after a change of schedule or windows at `now`. A Token down
 * inside a window keeps being judged again when its (maybe new) window ends,
 * or at once when it is in none any more.
 */
export function refreshDeadline(state: TokenState, now: Date) {
  if (state.status !== 'down') {
    setDeadline(state)
  } else if (state.alertAfter) {
    state.alertAfter = maintenanceEnd(state, now) ?? now
    state.quietUntil = null
  }
}

/**
 * An ad hoc maintenance window from `at` for `minutes`; 0 ends the current one.
 */
export function snooze(state: TokenState, at: Date, minutes: number) {
  state.snoozeUntil = minutes > 0 ? new Date(at.getTime() + minutes * 60_000) : null
  refreshDeadline(state, at)
}

/**
 * When the previous end of a run was a success: the Token is up (or warning) with no
 * failure counted since.
 */
function lastSuccessAt(state: TokenState): Date | null {
  const succeeded = state.status === 'up' || state.status === 'warning'
  return succeeded && state.consecutiveFails === 0 ? state.lastPingAt : null
}

/**
 * A failure counts; the Token goes down at its fail_threshold-th in a row. Below it the
 * Token stays as it was, but a paused one is resumed as any ping resumes it.
 */
function recordFail(state: TokenState, wasPinged: boolean): FlipChange | null {
  state.consecutiveFails += 1
  if (state.consecutiveFails >= state.failThreshold) {
    return setStatus(state, 'down', 'fail')
  }
  return state.status === 'paused' ? setStatus(state, wasPinged ? 'up' : 'new', 'resumed') : null
}

/**
 * A success ends the failure count; it is a warning when it came sooner than min_interval
 * after the previous success or its run was shorter than min_duration, up otherwise.
 */
function recordSuccess(
  state: TokenState,
  at: Date,
  previousSuccessAt: Date | null,
  durationMs: number | null
): FlipChange | null {
  state.consecutiveFails = 0
  const tooSoon =
    state.minInterval !== null &&
    previousSuccessAt !== null &&
    at.getTime() - previousSuccessAt.getTime() < state.minInterval * 1000
  const tooShort =
    state.minDuration !== null && durationMs !== null && durationMs < state.minDuration * 1000
  if (tooSoon || tooShort) {
    return setStatus(state, 'warning', tooSoon ? 'too soon' : 'too short')
  }
  return setStatus(state, 'up', 'success')
}

/**
 * Moves the state to `next` with a Flip, and sets the deadline anew; null when it is there already.
 */
function moveTo(state: TokenState, next: StoredStatus, reason: string): FlipChange | null {
  const flip = setStatus(state, next, reason)
  if (flip) {
    setDeadline(state)
  }
  return flip
}

/**
 * Stops monitoring: no deadline, no alerts, until resumed or pinged.
 */
export function pause(state: TokenState): FlipChange | null {
  return moveTo(state, 'paused', 'paused')
}

/**
 * Starts monitoring afresh, as healthchecks does: status new, no open run.
 */
export function resume(state: TokenState): FlipChange | null {
  if (state.status !== 'paused') {
    return null
  }
  state.lastStartAt = null
  state.lastStartRid = null
  state.consecutiveFails = 0
  return moveTo(state, 'new', 'resumed')
}

/**
 * Late detection for one Token at `now`: past its deadline it goes down, with
 * `timeout` when no run was open, `max runtime` when the open run's max_runtime is what
 * ran out, `start_timeout` when its grace did; inside a window it keeps the window's end
 * as its deadline. A Token that went down inside a window is judged again at its end: a
 * `maintenance_end` Flip (down to down) says it is still down. The scheduler runs the
 * same rule over all Tokens at once in SQL (LATE_SQL below).
 */
export function checkLate(state: TokenState, now: Date): FlipChange | null {
  if (state.status === 'paused') {
    return null
  }
  if (!state.alertAfter || state.alertAfter.getTime() > now.getTime()) {
    return null
  }
  if (state.status === 'down') {
    state.alertAfter = null
    return { oldStatus: 'down', newStatus: 'down', reason: MAINTENANCE_END }
  }
  const reason = lateReason(state, state.alertAfter)
  const quiet = state.quietUntil && state.quietUntil.getTime() > now.getTime()
  state.alertAfter = quiet ? state.quietUntil : null
  state.quietUntil = null
  return setStatus(state, 'down', reason)
}

function lateReason(state: TokenState, deadline: Date): string {
  if (!state.lastStartAt) {
    return 'timeout'
  }
  const runEnds = state.maxRuntime === null ? null : runDeadline(state, state.lastStartAt)
  return runEnds !== null && deadline.getTime() >= runEnds ? 'max runtime' : 'start_timeout'
}

/** An open run's deadline: its max_runtime when set, else its grace. */
function runDeadline(state: TokenState, startedAt: Date): number {
  return startedAt.getTime() + (state.maxRuntime ?? state.grace) * 1000
}

/**
 * The moment the schedule expects the next ping after `from`.
 */
export function nextExpected(
  state: Pick<TokenState, 'kind' | 'timeout' | 'schedule' | 'tz'>,
  from: Date
): Date | null {
  if (state.kind === 'simple') {
    return new Date(from.getTime() + state.timeout * 1000)
  }
  return nextRun(state.kind, state.schedule, state.tz, from)
}

/**
 * nextExpected, or null for a schedule that cannot say (a cron line or time
 * zone the parser rejects, an OnCalendar date that is past): one odd Token
 * must never fail a whole batch.
 */
function safeNextExpected(state: TokenState, from: Date): Date | null {
  try {
    const next = nextExpected(state, from)
    return next && Number.isFinite(next.getTime()) ? next : null
  } catch {
    return null
  }
}

/**
 * When the Token goes down unless a ping arrives first; null when it cannot.
 */
export function computeAlertAfter(state: TokenState): Date | null {
  if (state.status === 'paused' || state.status === 'down') {
    return null
  }
  const candidates: number[] = []
  if (state.lastStartAt) {
    candidates.push(runDeadline(state, state.lastStartAt))
  }
  if (state.lastPingAt && (state.status === 'up' || state.status === 'warning')) {
    const next = safeNextExpected(state, state.lastPingAt)
    if (next) {
      candidates.push(next.getTime() + state.grace * 1000)
    }
  }
  return candidates.length > 0 ? new Date(Math.min(...candidates)) : null
}

/**
 * The status a person sees: `started` while a run is open, `grace` once the
 * expected moment has passed and until the Token goes down. A warning stays in
 * sight until a normal run or a down replaces it.
 */
export function displayStatus(state: TokenState, now: Date): DisplayStatus {
  if (state.status === 'paused' || state.status === 'down' || state.status === 'warning') {
    return state.status
  }
  if (state.lastStartAt) {
    return 'started'
  }
  if (state.status === 'up' && state.alertAfter) {
    const graceStart = state.alertAfter.getTime() - state.grace * 1000
    return now.getTime() >= graceStart ? 'grace' : 'up'
  }
  return state.status
}

/**
 * displayStatus's twin in SQL: one condition per shown status, for the
 * lists' filter and order. The database's now() stands for `now`; keep the
 * two in step (tests/functional/token_status_rules.spec.ts runs one table of
 * cases against both).
 */
const IN_GRACE = "alert_after - grace * interval '1 second' <= now()"
export const STATUS_SQL = {
  paused: "status = 'paused'",
  down: "status = 'down'",
  warning: "status = 'warning'",
  started: "status IN ('new', 'up') AND last_start_at IS NOT NULL",
  new: "status = 'new' AND last_start_at IS NULL",
  grace: `status = 'up' AND last_start_at IS NULL AND ${IN_GRACE}`,
  up: `status = 'up' AND last_start_at IS NULL AND (alert_after IS NULL OR NOT (${IN_GRACE}))`,
} as const satisfies Record<DisplayStatus, string>

/** Down first, then warning, late, started, up, new, paused: what needs a look first. */
export const STATUS_RANK = `CASE WHEN ${STATUS_SQL.down} THEN 0 WHEN ${STATUS_SQL.warning} THEN 1
  WHEN ${STATUS_SQL.grace} THEN 2 WHEN ${STATUS_SQL.started} THEN 3 WHEN ${STATUS_SQL.up} THEN 4
  WHEN ${STATUS_SQL.new} THEN 5 ELSE 6 END`

/**
 * checkLate's twin in SQL, for the scheduler's pass over every Token: `overdue` takes the
 * pass's moment as its one binding; `reason` names the Flip from the row as it was before
 * (its alert_after, last_start_at, max_runtime). Kept in step with checkLate by the same table
 * of cases.
 */
export const LATE_SQL = {
  overdue: "alert_after IS NOT NULL AND alert_after <= ? AND status <> 'paused'",
  reason: `CASE WHEN status = 'down' THEN '${MAINTENANCE_END}'
    WHEN last_start_at IS NULL THEN 'timeout'
    WHEN max_runtime IS NOT NULL AND alert_after >= last_start_at + max_runtime * interval '1 second'
    THEN 'max runtime' ELSE 'start_timeout' END`,
  /** The new deadline, with the pass's moment as its binding: a window's end, or none */
  alertAfter: "CASE WHEN status <> 'down' AND quiet_until > ? THEN quiet_until END",
} as const
