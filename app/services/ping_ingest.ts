import type { Redis } from 'ioredis'
import db from '@adonisjs/lucid/services/db'
import {
  preparePings,
  storePingBatch,
  type BatchResult,
  type StreamEntry,
} from '#services/ping_batch'
import { PingStream } from '#services/ping_stream'
import { PingPruner } from '#services/ping_pruner'
import TokenRegistry from '#services/token_registry'

export interface IngestOptions {
  /** Unique name of this worker in the consumer group */
  consumer: string
  /** Entries read per round trip */
  batchSize: number
  /** How long one read waits for new entries */
  blockMs: number
  /** Entries pending this long belong to a dead worker and are claimed again */
  claimIdleMs: number
  /** Pings kept per Token; 0 keeps all */
  pingLogLimit?: number
  /** Where errors that the loop survives are reported */
  onError?: (error: unknown) => void
}

interface Batch {
  entries: StreamEntry[]
  /** Read again after a consumer died: some entries may be stored already */
  claimed: boolean
}

const EMPTY: Batch = { entries: [], claimed: false }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Drains the pings stream into PostgreSQL. `runOnce` handles one batch and is
 * what tests call; `run` is the worker's loop, which reads the next batch
 * while PostgreSQL stores the current one.
 */
export class PingIngest {
  readonly stream: PingStream
  readonly pruner: PingPruner
  #stopping = false
  #lastClaimAt = 0

  constructor(
    redis: Redis,
    private options: IngestOptions,
    writer: Redis = redis
  ) {
    this.stream = new PingStream(redis, writer, options.consumer)
    this.pruner = new PingPruner(options.pingLogLimit ?? 0)
  }

  ensureGroup() {
    return this.stream.ensureGroup()
  }

  stop() {
    this.#stopping = true
  }

  get stopping() {
    return this.#stopping
  }

  readNew() {
    return this.stream.readNew(this.options.batchSize, this.options.blockMs)
  }

  /**
   * Stale entries of dead workers first (at most every few seconds), else new ones.
   */
  async read(claimAlways = false): Promise<Batch> {
    const claimEvery = Math.min(this.options.claimIdleMs, 5000)
    if (claimAlways || Date.now() - this.#lastClaimAt >= claimEvery) {
      this.#lastClaimAt = Date.now()
      const stale = await this.stream.claimStale(this.options.claimIdleMs, this.options.batchSize)
      if (stale.length > 0) {
        return { entries: stale, claimed: true }
      }
    }
    return { entries: await this.readNew(), claimed: false }
  }

  /**
   * Reads one batch, stores it in one transaction and acknowledges it after
   * the commit, then prunes. Returns the number of entries handled.
   */
  async runOnce(): Promise<number> {
    const batch = await this.read(true)
    if (batch.entries.length === 0) {
      return 0
    }
    const result = await this.storeWithRetry(batch.entries, batch.claimed)
    await this.finish(batch.entries, result)
    await this.pruner.run()
    return batch.entries.length
  }

  /**
   * The worker's loop until `stop()`: the batch in hand (and one read ahead)
   * is stored and acknowledged before it returns.
   */
  async run() {
    let next = this.#safeRead()
    let finishing: Promise<void> = Promise.resolve()
    let pruning: Promise<unknown> = Promise.resolve()
    for (;;) {
      const batch = await next
      if (batch.entries.length === 0 && this.#stopping) {
        break
      }
      next = this.#stopping ? Promise.resolve(EMPTY) : this.#safeRead()
      if (batch.entries.length === 0) {
        continue
      }
      const result = await this.storeWithRetry(batch.entries, batch.claimed)
      await finishing
      finishing = this.finish(batch.entries, result).catch(this.#report)
      if (this.pruner.pending > 0) {
        // One pruning pass at a time, beside ingest, never in its way.
        pruning = pruning.then(() => this.pruner.run()).catch(this.#report)
      }
    }
    await finishing
    await pruning
  }

  /**
   * PostgreSQL being down must not lose or skip a batch: keep it and retry
   * with backoff. A stop request leaves it unacknowledged for the next worker.
   */
  async storeWithRetry(entries: StreamEntry[], checkStored = true): Promise<BatchResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction((trx) => storePingBatch(trx, entries, { checkStored }))
      } catch (error) {
        if (isStoredAlready(error) && !checkStored) {
          // An entry was stored before after all (e.g. a replayed stream): sort them out.
          checkStored = true
          continue
        }
        if (this.#stopping) {
          throw error
        }
        this.#report(error)
        await sleep(Math.min(100 * 2 ** attempt, 5000))
      }
    }
  }

  /**
   * After the commit: tell the edge about provisioned Tokens, acknowledge.
   */
  async finish(entries: StreamEntry[], result: BatchResult) {
    for (const route of result.slugRoutes) {
      await TokenRegistry.addSlugRoute(route)
    }
    for (const uuid of result.strayUuids) {
      await TokenRegistry.remove(uuid)
    }
    await this.stream.ack(entries)
    this.pruner.note(result.touched)
  }

  async #safeRead(): Promise<Batch> {
    try {
      const batch = await this.read()
      preparePings(batch.entries)
      return batch
    } catch (error) {
      this.#report(error)
      await sleep(1000)
      return EMPTY
    }
  }

  #report = (error: unknown) => {
    this.options.onError?.(error)
  }
}

function isStoredAlready(error: unknown) {
  const { code, constraint } = error as { code?: string; constraint?: string }
  return code === '23505' && constraint === 'pings_stream_id_unique'
}
