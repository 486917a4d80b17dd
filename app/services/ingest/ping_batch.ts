import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { recordPing, snooze } from '#models/token_state'
import { copyIn, copyValue } from '#services/ingest/pg_copy'
import {
  PING_COLUMNS,
  preparePings,
  type PreparedPing,
  type StreamEntry,
} from '#services/ingest/stream_entries'
import { provisionTokens, type CreateRequest } from '#services/ingest/auto_tokens'
import {
  insertFlips,
  lockTokens,
  updateTokens,
  type FlipRow,
  type LockedToken,
} from '#services/ingest/batch_tokens'

export interface BatchOptions {
  /**
   * Look up which entries are stored already. Needed for re-delivered
   * entries only: an entry read for the first time cannot be stored yet.
   */
  checkStored: boolean
}

export interface BatchResult {
  stored: number
  /** The Tokens that got Pings, with their new count (for pruning) */
  touched: { id: number; nPings: number }[]
  /** Slug routes the edge should know (provisioned or found again) */
  slugRoutes: CreateRequest[]
  /** UUIDs the edge registered for a create that named an existing Token */
  strayUuids: string[]
}

async function storedIds(trx: TransactionClientContract, pings: PreparedPing[]) {
  const result = await trx.rawQuery('SELECT stream_id FROM pings WHERE stream_id = ANY(?)', [
    pings.map((ping) => ping.id),
  ])
  return new Set<string>(result.rows.map((row: { stream_id: string }) => row.stream_id))
}

/**
 * Locks the batch's Tokens, provisioning those that `?create=1` pings ask for.
 */
async function resolveTokens(
  trx: TransactionClientContract,
  pings: PreparedPing[],
  result: BatchResult
) {
  const tokens = await lockTokens(trx, [...new Set(pings.map(({ message }) => message.token))])
  const requests = new Map<string, CreateRequest>()
  for (const { message } of pings) {
    if (message.create && !tokens.has(message.token)) {
      requests.set(message.token, { uuid: message.token, ...message.create })
    }
  }
  if (requests.size === 0) {
    return tokens
  }
  const aliases = await provisionTokens(trx, [...requests.values()])
  const found = await lockTokens(trx, [...requests.keys(), ...aliases.values()])
  for (const request of requests.values()) {
    const uuid = aliases.get(request.uuid) ?? request.uuid
    const token = found.get(uuid)
    if (token) {
      tokens.set(request.uuid, token)
      result.slugRoutes.push({ ...request, uuid })
    }
    if (uuid !== request.uuid) {
      result.strayUuids.push(request.uuid)
    }
  }
  return tokens
}

/**
 * Stores a batch of stream entries in one transaction (see storePings).
 */
export async function storePingBatch(
  trx: TransactionClientContract,
  entries: StreamEntry[],
  options: BatchOptions = { checkStored: true }
): Promise<BatchResult> {
  return storePings(trx, preparePings(entries), options)
}

export function emptyResult(): BatchResult {
  return { stored: 0, touched: [], slugRoutes: [], strayUuids: [] }
}

/**
 * Stores pings in one transaction: the Pings (with COPY), the Tokens' new
 * state and their Flips. Pings of deleted Tokens are skipped, and with
 * `checkStored` so are pings stored before. Without it a stored ping fails
 * the COPY on the unique stream id (the caller then retries with it), so a
 * Ping is never stored twice.
 */
export async function storePings(
  trx: TransactionClientContract,
  prepared: PreparedPing[],
  options: BatchOptions
): Promise<BatchResult> {
  const result = emptyResult()
  let pings = prepared
  if (pings.length === 0) {
    return result
  }
  const tokens = await resolveTokens(trx, pings, result)
  if (options.checkStored) {
    const stored = await storedIds(trx, pings)
    pings = pings.filter((ping) => !stored.has(ping.id))
  }

  let rows = ''
  const flips: FlipRow[] = []
  const touched = new Set<LockedToken>()
  for (const ping of pings) {
    const token = tokens.get(ping.message.token)
    if (!token) {
      continue
    }
    const at = new Date(ping.message.at)
    const { action, rid, durationMs, method, body } = ping.message
    if (action === 'snooze') {
      // a window, not a Ping: applied to the Token, nothing stored in its log
      snooze(token, at, ping.message.snoozeMinutes ?? 0)
      touched.add(token)
      continue
    }
    const outcome = recordPing(token, { action, at, rid, durationMs, method, body })
    touched.add(token)
    rows += `${token.id}\t${outcome.kind}${ping.middle}${copyValue(outcome.durationMs)}${ping.tail}`
    result.stored += 1
    if (outcome.flip) {
      flips.push({ tokenId: token.id, at, ...outcome.flip })
    }
  }
  if (result.stored > 0) {
    await copyIn(trx, 'pings', PING_COLUMNS, Buffer.from(rows))
  }
  await insertFlips(trx, flips)
  await updateTokens(trx, [...touched])
  result.touched = [...touched].map((token) => ({ id: token.id, nPings: token.nPings }))
  return result
}
