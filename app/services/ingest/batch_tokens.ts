import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { FlipChange, TokenState } from '#models/token_state'

/**
 * The Token rows one ingest batch works on: read and locked at its start
 * (with their ping filters, so filtering costs no query of its own), written
 * back once at its end, with the batch's Flips.
 */
export interface LockedToken extends TokenState {
  id: number
  uuid: string
}

const TOKEN_COLUMNS = `id, uuid, kind, timeout, grace, schedule, tz, status, manual_resume,
  n_pings, last_ping_at, last_duration_ms, last_start_at, last_start_rid, alert_after,
  snooze_until, maintenance_schedule, maintenance_minutes, maintenance_tz, quiet_until,
  max_runtime, min_interval, min_duration, fail_threshold, consecutive_fails, methods,
  filter_subject, filter_body, start_kw, success_kw, failure_kw`

function toState(row: Record<string, any>): LockedToken {
  return {
    id: Number(row.id),
    uuid: row.uuid,
    kind: row.kind,
    timeout: row.timeout,
    grace: row.grace,
    schedule: row.schedule,
    tz: row.tz,
    status: row.status,
    manualResume: row.manual_resume,
    nPings: Number(row.n_pings),
    lastPingAt: row.last_ping_at,
    lastDurationMs: row.last_duration_ms,
    lastStartAt: row.last_start_at,
    lastStartRid: row.last_start_rid,
    alertAfter: row.alert_after,
    snoozeUntil: row.snooze_until,
    maintenanceSchedule: row.maintenance_schedule,
    maintenanceMinutes: row.maintenance_minutes,
    maintenanceTz: row.maintenance_tz,
    quietUntil: row.quiet_until,
    maxRuntime: row.max_runtime,
    minInterval: row.min_interval,
    minDuration: row.min_duration,
    failThreshold: row.fail_threshold,
    consecutiveFails: row.consecutive_fails,
    methods: row.methods,
    filterSubject: row.filter_subject,
    filterBody: row.filter_body,
    startKw: row.start_kw,
    successKw: row.success_kw,
    failureKw: row.failure_kw,
  }
}

/**
 * Reads and locks the Tokens with these UUIDs. Row locks are taken in id
 * order, so workers that share Tokens queue instead of deadlocking.
 */
export async function lockTokens(trx: TransactionClientContract, uuids: string[]) {
  const tokens = new Map<string, LockedToken>()
  if (uuids.length === 0) {
    return tokens
  }
  const result = await trx.rawQuery(
    `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE uuid = ANY(?::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
    [uuids]
  )
  for (const row of result.rows) {
    tokens.set(row.uuid, toState(row))
  }
  return tokens
}

export interface FlipRow extends FlipChange {
  tokenId: number
  at: Date
}

export async function insertFlips(trx: TransactionClientContract, flips: FlipRow[]) {
  if (flips.length === 0) {
    return
  }
  await trx.rawQuery(
    `INSERT INTO flips (token_id, created_at, old_status, new_status, reason)
     SELECT * FROM unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])`,
    [
      flips.map((flip) => flip.tokenId),
      flips.map((flip) => flip.at),
      flips.map((flip) => flip.oldStatus),
      flips.map((flip) => flip.newStatus),
      flips.map((flip) => flip.reason),
    ]
  )
}

/**
 * Writes the Tokens' new state back, one statement for the whole batch.
 */
export async function updateTokens(trx: TransactionClientContract, tokens: LockedToken[]) {
  if (tokens.length === 0) {
    return
  }
  const column = (pick: (token: LockedToken) => unknown) => tokens.map(pick) as string[]
  await trx.rawQuery(
    `UPDATE tokens AS t SET status = v.status, n_pings = v.n_pings, last_ping_at = v.last_ping_at,
       last_duration_ms = v.last_duration_ms, last_start_at = v.last_start_at,
       last_start_rid = v.last_start_rid, alert_after = v.alert_after,
       consecutive_fails = v.consecutive_fails, snooze_until = v.snooze_until,
       quiet_until = v.quiet_until, updated_at = now()
     FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::timestamptz[], ?::integer[],
       ?::timestamptz[], ?::uuid[], ?::timestamptz[], ?::integer[], ?::timestamptz[],
       ?::timestamptz[])
       AS v(id, status, n_pings, last_ping_at, last_duration_ms, last_start_at, last_start_rid,
         alert_after, consecutive_fails, snooze_until, quiet_until)
     WHERE t.id = v.id`,
    [
      column((token) => token.id),
      column((token) => token.status),
      column((token) => token.nPings),
      column((token) => token.lastPingAt),
      column((token) => token.lastDurationMs),
      column((token) => token.lastStartAt),
      column((token) => token.lastStartRid),
      column((token) => token.alertAfter),
      column((token) => token.consecutiveFails),
      column((token) => token.snoozeUntil),
      column((token) => token.quietUntil),
    ]
  )
}
