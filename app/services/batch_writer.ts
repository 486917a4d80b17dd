import db from '@adonisjs/lucid/services/db'
import { emptyResult, storePings, type BatchResult } from '#services/ping_batch'
import type { PreparedPing } from '#services/stream_entries'

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

/**
 * Writes a batch to PostgreSQL in `parallel` transactions (one per group of
 * Tokens, so PostgreSQL works on two cores), and keeps trying until all
 * commit: PostgreSQL being down must not lose or skip a batch. After a failed
 * attempt some groups may have committed, so retries sort stored pings out.
 */
export class BatchWriter {
  constructor(
    readonly parallel: number,
    private stopping: () => boolean,
    private report: (error: unknown) => void
  ) {}

  async write(pings: PreparedPing[], checkStored: boolean): Promise<BatchResult> {
    const groups = partition(pings, this.parallel)
    for (let attempt = 0; ; attempt++) {
      const settled = await Promise.allSettled(
        groups.map((group) => db.transaction((trx) => storePings(trx, group, { checkStored })))
      )
      const failed = settled.find((outcome) => outcome.status === 'rejected')
      if (!failed) {
        return merge(
          settled.map((outcome) => (outcome as PromiseFulfilledResult<BatchResult>).value)
        )
      }
      const storedAlready = isStoredAlready(failed.reason) && !checkStored
      checkStored = true
      if (storedAlready) {
        // A ping was stored before after all (e.g. a replayed stream): sort them out.
        continue
      }
      if (this.stopping()) {
        throw failed.reason
      }
      this.report(failed.reason)
      await sleep(Math.min(100 * 2 ** attempt, 5000))
    }
  }
}

function isStoredAlready(error: unknown) {
  const { code, constraint } = error as { code?: string; constraint?: string }
  return code === '23505' && constraint === 'pings_stream_id_unique'
}
