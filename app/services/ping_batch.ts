import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { decodePingMessage } from '#lib/ping_message'
import { recordPing, type TokenState } from '#services/token_state'

/**
 * One stream entry as the worker reads it: its id and raw field list.
 */
export interface StreamEntry {
  id: string
  fields: Buffer[]
}

interface LockedToken extends TokenState {
  id: number
  uuid: string
}

const TOKEN_COLUMNS = `id, uuid, kind, timeout, grace, schedule, tz, status, manual_resume,
  n_pings, last_ping_at, last_duration_ms, last_start_at, last_start_rid, alert_after`

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
  }
}

/**
 * Columns of the rows written by one batch, one array per column, so each
 * table gets a single INSERT ... SELECT FROM unnest(...) round trip.
 */
class Columns<Names extends string> {
  readonly data = {} as Record<Names, unknown[]>
  constructor(readonly names: readonly Names[]) {
    for (const name of names) {
      this.data[name] = []
    }
  }
  push(row: Record<Names, unknown>) {
    for (const name of this.names) {
      this.data[name].push(row[name])
    }
  }
  get length() {
    return this.data[this.names[0]].length
  }
  /**
   * One array per column; pg sends each as a PostgreSQL array.
   */
  bindings() {
    return this.names.map((name) => this.data[name]) as unknown as RawQueryBindings
  }
}

/**
 * Stores a batch of stream entries in one transaction: the Pings, the Tokens'
 * new state and their Flips. Entries already stored (re-delivered after a
 * crash) and entries for deleted Tokens are skipped. Returns the Pings stored.
 */
export async function storePingBatch(trx: TransactionClientContract, entries: StreamEntry[]) {
  const messages = entries.map((entry) => ({
    id: entry.id,
    message: decodePingMessage(entry.fields),
  }))
  const uuids = [...new Set(messages.flatMap(({ message }) => (message ? [message.token] : [])))]
  if (uuids.length === 0) {
    return 0
  }

  // Row locks, taken in id order, serialise workers that share Tokens.
  const tokenRows = await trx.rawQuery(
    `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE uuid = ANY(?::uuid[]) ORDER BY id FOR UPDATE`,
    [uuids]
  )
  const tokens = new Map<string, LockedToken>()
  for (const row of tokenRows.rows) {
    tokens.set(row.uuid, toState(row))
  }
  const stored = await trx.rawQuery('SELECT stream_id FROM pings WHERE stream_id = ANY(?)', [
    messages.map(({ id }) => id),
  ])
  const seen = new Set<string>(stored.rows.map((row: { stream_id: string }) => row.stream_id))

  const pings = new Columns(PING_COLUMNS)
  const flips = new Columns(FLIP_COLUMNS)
  const touched = new Set<LockedToken>()
  for (const { id, message } of messages) {
    const token = message ? tokens.get(message.token) : undefined
    if (!message || !token || seen.has(id)) {
      continue
    }
    const at = new Date(message.at)
    const outcome = recordPing(token, { action: message.action, at, rid: message.rid })
    touched.add(token)
    pings.push({
      token_id: token.id,
      kind: outcome.kind,
      created_at: at,
      method: message.method,
      remote_addr: message.remoteAddr,
      user_agent: message.userAgent,
      exit_status: message.exitStatus,
      rid: message.rid,
      duration_ms: outcome.durationMs,
      body: message.body,
      stream_id: id,
    })
    if (outcome.flip) {
      flips.push({
        token_id: token.id,
        created_at: at,
        old_status: outcome.flip.oldStatus,
        new_status: outcome.flip.newStatus,
        reason: outcome.flip.reason,
      })
    }
  }

  await insertRows(trx, 'pings', pings, PING_TYPES)
  await insertRows(trx, 'flips', flips, FLIP_TYPES)
  await updateTokens(trx, [...touched])
  return pings.length
}

const PING_COLUMNS = [
  'token_id',
  'kind',
  'created_at',
  'method',
  'remote_addr',
  'user_agent',
  'exit_status',
  'rid',
  'duration_ms',
  'body',
  'stream_id',
] as const
const PING_TYPES = [
  'bigint',
  'text',
  'timestamptz',
  'text',
  'text',
  'text',
  'smallint',
  'uuid',
  'integer',
  'bytea',
  'text',
]

const FLIP_COLUMNS = ['token_id', 'created_at', 'old_status', 'new_status', 'reason'] as const
const FLIP_TYPES = ['bigint', 'timestamptz', 'text', 'text', 'text']

async function insertRows(
  trx: TransactionClientContract,
  table: string,
  columns: Columns<string>,
  types: string[]
) {
  if (columns.length === 0) {
    return
  }
  const casts = types.map((type) => `?::${type}[]`).join(', ')
  await trx.rawQuery(
    `INSERT INTO ${table} (${columns.names.join(', ')}) SELECT * FROM unnest(${casts})`,
    columns.bindings()
  )
}

async function updateTokens(trx: TransactionClientContract, tokens: LockedToken[]) {
  if (tokens.length === 0) {
    return
  }
  const columns = new Columns([
    'id',
    'status',
    'n_pings',
    'last_ping_at',
    'last_duration_ms',
    'last_start_at',
    'last_start_rid',
    'alert_after',
  ] as const)
  for (const token of tokens) {
    columns.push({
      id: token.id,
      status: token.status,
      n_pings: token.nPings,
      last_ping_at: token.lastPingAt,
      last_duration_ms: token.lastDurationMs,
      last_start_at: token.lastStartAt,
      last_start_rid: token.lastStartRid,
      alert_after: token.alertAfter,
    })
  }
  await trx.rawQuery(
    `UPDATE tokens AS t SET status = v.status, n_pings = v.n_pings, last_ping_at = v.last_ping_at,
       last_duration_ms = v.last_duration_ms, last_start_at = v.last_start_at,
       last_start_rid = v.last_start_rid, alert_after = v.alert_after, updated_at = now()
     FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::timestamptz[], ?::integer[],
       ?::timestamptz[], ?::uuid[], ?::timestamptz[])
       AS v(id, status, n_pings, last_ping_at, last_duration_ms, last_start_at, last_start_rid, alert_after)
     WHERE t.id = v.id`,
    columns.bindings()
  )
}
