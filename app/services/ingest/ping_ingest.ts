import type { Redis } from 'ioredis'
import type { BatchResult } from '#services/ingest/ping_batch'
import { preparePings, type StreamEntry } from '#services/ingest/stream_entries'
import { BatchWriter } from '#services/ingest/batch_writer'
import { PingStream } from '#services/ingest/ping_stream'
import { BatchReader, EMPTY_BATCH, type Batch } from '#services/ingest/batch_reader'
import { PingPruner } from '#services/tokens/ping_pruner'
import TokenRegistry from '#services/registry/token_registry'
import { pingsDeadLettered, pingsStored } from '#services/operations/app_metrics'

export interface IngestOptions {
  /** Unique name of this worker in the consumer group */
  consumer: string
  /** Pings per batch (one transaction); entries hold one ping or several */
  batchSize: number
  /** How long one read waits for new entries */
  blockMs: number
  /** Entries pending this long belong to a dead worker and are claimed again */
  claimIdleMs: number
  /** Transactions a batch is split into, by Token (1 inside a test's global transaction) */
  parallel?: number
  /** Pings kept per Token; 0 keeps all */
  pingLogLimit?: number
  /** How often the pruning marks are written (see PingPruner); 0 at once */
  pruneMarkEveryMs?: number
  /**
   * Under load, a store starts at least this long after the one before
   * (ms; 0: at once), unless its batch is half full already: see `run`
   */
  lingerMs?: number
  /** Where errors that the loop survives are reported */
  onError?: (error: unknown) => void
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Drains the pings stream into PostgreSQL. `runOnce` handles one batch and is
 * what tests call; `run` is the worker's loop, which reads the next batch
 * while PostgreSQL stores the current one.
 */
export class PingIngest {
  readonly stream: PingStream
  readonly pruner: PingPruner
  readonly writer: BatchWriter
  readonly reader: BatchReader
  #stopping = false
  /** When the last store began (performance.now()) */
  #storedAt = -Infinity

  constructor(
    redis: Redis,
    private options: IngestOptions,
    /** Connection for acknowledgements (reads block on `redis`) */
    acks: Redis = redis
  ) {
    this.stream = new PingStream(redis, acks, options.consumer)
    this.pruner = new PingPruner(options.pingLogLimit ?? 0, {
      markEveryMs: options.pruneMarkEveryMs ?? 0,
    })
    this.writer = new BatchWriter(
      options.parallel ?? 1,
      () => this.#stopping,
      this.#report,
      async (ping, error) => {
        await this.stream.deadLetter(ping, error)
        pingsDeadLettered.inc()
      }
    )
    this.reader = new BatchReader(this.stream, options)
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
    return this.reader.readNew()
  }

  /**
   * Reads one batch, stores it in one transaction and acknowledges it after
   * the commit, then prunes. Returns the number of entries handled.
   */
  async runOnce(): Promise<number> {
    const batch = await this.reader.read(true)
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
    for (;;) {
      const batch = await this.#topUp(await this.#linger(await next))
      if (batch.entries.length === 0 && this.#stopping) {
        break
      }
      next = this.#stopping ? Promise.resolve(EMPTY_BATCH) : this.#safeRead()
      if (batch.entries.length === 0) {
        // a quiet stream: the marks of the last prunings are written now
        if (!this.#pruning && this.pruner.unmarked > 0) {
          await this.pruner.flushMarks().catch(this.#report)
        }
        continue
      }
      this.#storedAt = performance.now()
      const result = await this.storeWithRetry(batch.entries, batch.claimed)
      await finishing
      // pruning starts once the batch is noted, so the last batch before a
      // quiet stream is pruned too, not only when more pings come
      finishing = this.finish(batch.entries, result)
        .catch(this.#report)
        .then(() => this.#prune())
    }
    await finishing
    while (this.#pruning) {
      await this.#pruning
    }
    await this.pruner.flushMarks().catch(this.#report)
  }

  #pruning: Promise<unknown> | null = null

  /**
   * One pruning pass at a time, beside ingest, never in its way; a pass
   * that ends with more Tokens due starts the next.
   */
  #prune() {
    if (this.#pruning || this.pruner.pending === 0) {
      return
    }
    this.#pruning = this.pruner
      .run()
      .catch(this.#report)
      .finally(() => {
        this.#pruning = null
        this.#prune()
      })
  }

  /**
   * Stores a batch, retrying until PostgreSQL takes it (see BatchWriter). A
   * stop request leaves it unacknowledged for the next worker.
   */
  async storeWithRetry(entries: StreamEntry[], checkStored = true): Promise<BatchResult> {
    const result = await this.writer.write(preparePings(entries), checkStored)
    pingsStored.inc(result.stored)
    return result
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

  /**
   * Under load, waits until `lingerMs` after the last store began before a
   * batch of new entries less than half full is topped up and stored: fewer,
   * larger transactions, each Token's row updated once for more of its
   * Pings, for at most `lingerMs` more before a ping is stored. The first
   * ping after a quiet spell is stored at once.
   */
  async #linger(batch: Batch): Promise<Batch> {
    const wait = this.#storedAt + (this.options.lingerMs ?? 0) - performance.now()
    if (
      wait > 0 &&
      !batch.claimed &&
      batch.entries.length > 0 &&
      !this.#stopping &&
      preparePings(batch.entries).length < this.options.batchSize / 2
    ) {
      await sleep(wait)
    }
    return batch
  }

  async #topUp(batch: Batch): Promise<Batch> {
    try {
      return await this.reader.topUp(batch)
    } catch (error) {
      // the batch as read is stored; what the top-up missed comes next round
      this.#report(error)
      return batch
    }
  }

  async #safeRead(): Promise<Batch> {
    try {
      return await this.reader.read()
    } catch (error) {
      this.#report(error)
      await sleep(1000)
      return EMPTY_BATCH
    }
  }

  #report = (error: unknown) => {
    this.options.onError?.(error)
  }
}
