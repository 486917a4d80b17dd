import { CronExpressionParser } from 'cron-parser'
import { MAX_RUN_MS, type PingAction } from '#lib/ping_message'

/**
 * A Token's status rules in one place, as pure functions over its state, so
 * the worker's batches, the REST API and the scheduler share them and unit
 * tests reach them without a database (healthchecks' Check.ping and
 * going_down_after). The caller persists the result in one transaction.
 */
export type TokenKind = 'simple' | 'cron'
/** Stored statuses; `grace` and `started` are derived for display. */
export type StoredStatus = 'new' | 'up' | 'down' | 'paused'
export type DisplayStatus = StoredStatus | 'grace' | 'started'
export type StoredPingKind = PingAction | 'ign'

export interface TokenState {
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
}

export interface PingInput {
  action: PingAction
  at: Date
  rid: string | null
  /** The run's duration as the client reported it; kept over the measured one */
  durationMs?: number | null
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
 * Applies one ping to the state (mutating it) and says how to store the Ping
 * and which Flip to write.
 */
export function recordPing(state: TokenState, ping: PingInput): PingOutcome {
  state.nPings += 1
  if (state.status === 'paused' && state.manualResume) {
    return { kind: 'ign', durationMs: null, flip: null }
  }

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
    state.lastPingAt = ping.at
    state.lastDurationMs = durationMs
    flip = setStatus(state, ping.action === 'fail' ? 'down' : 'up', ping.action)
  }
  state.alertAfter = computeAlertAfter(state)
  return { kind: ping.action, durationMs, flip }
}

/**
 * Moves the state to `next` with a Flip, and sets the deadline anew; null when it is there already.
 */
function moveTo(state: TokenState, next: StoredStatus, reason: string): FlipChange | null {
  const flip = setStatus(state, next, reason)
  if (flip) {
    state.alertAfter = computeAlertAfter(state)
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
  return moveTo(state, 'new', 'resumed')
}

/**
 * Late detection for one Token at `now`: past its deadline it goes down, with
 * `start_timeout` when a run was open and `timeout` otherwise. The scheduler runs
 * the same rule over all Tokens at once in SQL (LATE_SQL below).
 */
export function checkLate(state: TokenState, now: Date): FlipChange | null {
  if (state.status === 'down' || state.status === 'paused') {
    return null
  }
  if (!state.alertAfter || state.alertAfter.getTime() > now.getTime()) {
    return null
  }
  state.alertAfter = null
  return setStatus(state, 'down', state.lastStartAt ? 'start_timeout' : 'timeout')
}

/**
 * The moment the schedule expects the next ping after `from`.
 */
export function nextExpected(
  state: Pick<TokenState, 'kind' | 'timeout' | 'schedule' | 'tz'>,
  from: Date
): Date {
  if (state.kind === 'cron') {
    return CronExpressionParser.parse(state.schedule, { currentDate: from, tz: state.tz })
      .next()
      .toDate()
  }
  return new Date(from.getTime() + state.timeout * 1000)
}

/**
 * nextExpected, or null for a schedule that cannot say (a cron line or time
 * zone the parser rejects): one odd Token must never fail a whole batch.
 */
function safeNextExpected(state: TokenState, from: Date): Date | null {
  try {
    const next = nextExpected(state, from)
    return Number.isFinite(next.getTime()) ? next : null
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
    candidates.push(state.lastStartAt.getTime() + state.grace * 1000)
  }
  if (state.lastPingAt && state.status === 'up') {
    const next = safeNextExpected(state, state.lastPingAt)
    if (next) {
      candidates.push(next.getTime() + state.grace * 1000)
    }
  }
  return candidates.length > 0 ? new Date(Math.min(...candidates)) : null
}

/**
 * The status a person sees: `started` while a run is open, `grace` once the
 * expected moment has passed and until the Token goes down.
 */
export function displayStatus(state: TokenState, now: Date): DisplayStatus {
  if (state.status === 'paused' || state.status === 'down') {
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
  started: "status IN ('new', 'up') AND last_start_at IS NOT NULL",
  new: "status = 'new' AND last_start_at IS NULL",
  grace: `status = 'up' AND last_start_at IS NULL AND ${IN_GRACE}`,
  up: `status = 'up' AND last_start_at IS NULL AND (alert_after IS NULL OR NOT (${IN_GRACE}))`,
} as const satisfies Record<DisplayStatus, string>

/** Down first, then late, started, up, new, paused: what needs a look first. */
export const STATUS_RANK = `CASE WHEN ${STATUS_SQL.down} THEN 0 WHEN ${STATUS_SQL.grace} THEN 1
  WHEN ${STATUS_SQL.started} THEN 2 WHEN ${STATUS_SQL.up} THEN 3 WHEN ${STATUS_SQL.new} THEN 4
  ELSE 5 END`

/**
 * checkLate's twin in SQL, for the scheduler's pass over every Token: `overdue` takes the
 * pass's moment as its one binding; `reason` names the Flip. Kept in step with checkLate by the
 * same table of cases.
 */
export const LATE_SQL = {
  overdue: "alert_after IS NOT NULL AND alert_after <= ? AND status NOT IN ('down', 'paused')",
  reason: "CASE WHEN last_start_at IS NULL THEN 'timeout' ELSE 'start_timeout' END",
} as const
