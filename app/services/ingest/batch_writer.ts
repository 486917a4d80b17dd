import db from '@adonisjs/lucid/services/db'
import { emptyResult, storePings, type BatchResult } from '#services/ingest/ping_batch'
import type { PreparedPing } from '#services/ingest/stream_entries'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Splits pings by Token, so that parallel transactions never wait on each
 * other's row locks.
 */
function partition(pings: PreparedPing[], parts: number): PreparedPing[][] {
  if (parts <= 1) {
    return [pings]
  }
  const groups: PreparedPing[][] = Array.from({ length: parts }, () => [])
  for (const ping of pings) {
    groups[Number.parseInt(ping.message.token.slice(-4), 16) % parts].push(ping)
  }
  return groups.filter((group) => group.length > 0)
}

function merge(results: BatchResult[]): BatchResult {
  const merged = emptyResult()
  for (const result of results) {
    merged.stored += result.stored
    merged.touched.push(...result.touched)
    merged.slugRoutes.push(...result.slugRoutes)
    merged.strayUuids.push(...result.strayUuids)
  }
  return merged
}

/** Receives a ping that PostgreSQL refuses on its own, so the rest can go on. */
export type DeadLetter = (ping: PreparedPing, error: Error) => Promise<void>

/**
 * Writes a batch to PostgreSQL in `parallel` transactions (one per group of
 * Tokens, so PostgreSQL works on two cores), and keeps trying until all
 * commit: PostgreSQL being down must not lose or skip a batch. After a failed
 * attempt some groups may have committed, so retries sort stored pings out.
 * A batch that fails three times on its data (not on the connection) is
 * written ping by ping, and a ping refused even alone goes to the dead
 * letters instead of stopping every ping behind it.
 */
export class BatchWriter {
  constructor(
    readonly parallel: number,
    private stopping: () => boolean,
    private report: (error: unknown) => void,
    private deadLetter: DeadLetter
  ) {}

  async write(pings: PreparedPing[], checkStored: boolean): Promise<BatchResult> {
    const groups = partition(pings, this.parallel)
    let dataFailures = 0
    for (let attempt = 0; ; attempt++) {
      try {
        return dataFailures >= 3
          ? await this.#onePerTransaction(pings)
          : await this.#attempt(groups, checkStored)
      } catch (error) {
        const storedAlready = isStoredAlready(error) && !checkStored
        checkStored = true
        if (storedAlready) {
          // A ping was stored before after all (e.g. a replayed stream): sort them out.
          continue
        }
        dataFailures = isDataError(error) ? dataFailures + 1 : 0
        if (this.stopping()) {
          throw error
        }
        this.report(error)
        await sleep(Math.min(100 * 2 ** attempt, 5000))
      }
    }
  }

  async #attempt(groups: PreparedPing[][], checkStored: boolean) {
    const settled = await Promise.allSettled(
      groups.map((group) => db.transaction((trx) => storePings(trx, group, { checkStored })))
    )
    const failed = settled.find((outcome) => outcome.status === 'rejected')
    if (failed) {
      throw failed.reason
    }
    return merge(settled.map((outcome) => (outcome as PromiseFulfilledResult<BatchResult>).value))
  }

  async #onePerTransaction(pings: PreparedPing[]) {
    const results: BatchResult[] = []
    for (const ping of pings) {
      try {
        results.push(await db.transaction((trx) => storePings(trx, [ping], { checkStored: true })))
      } catch (error) {
        if (!isDataError(error)) {
          throw error
        }
        await this.deadLetter(ping, error as Error)
      }
    }
    return merge(results)
  }
}

function isStoredAlready(error: unknown) {
  const { code, constraint } = error as { code?: string; constraint?: string }
  return code === '23505' && constraint === 'pings_stream_id_unique'
}

/**
 * An error about the data (SQLSTATE classes 22 and 23), which retrying the
 * same rows never cures; unlike a lost connection, a restart or a deadlock.
 */
function isDataError(error: unknown) {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))
}
