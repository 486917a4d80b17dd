import type { PingStream } from '#services/ingest/ping_stream'
import { preparePings, type StreamEntry } from '#services/ingest/stream_entries'

export interface Batch {
  entries: StreamEntry[]
  /** Read again after a consumer died: some entries may be stored already */
  claimed: boolean
}

export const EMPTY_BATCH: Batch = { entries: [], claimed: false }

export interface ReaderOptions {
  /** Pings per batch */
  batchSize: number
  blockMs: number
  claimIdleMs: number
}

/**
 * Reads batches of about `batchSize` pings: stale entries of dead workers
 * first (looked for every few seconds, and the dead workers removed from the
 * group once none is left), else new ones. An entry holds one
 * ping or up to 64 (the edge packs a loop turn's pings), so the number of
 * entries to ask for follows what the last ones held.
 */
export class BatchReader {
  #lastClaimAt = 0
  #entriesPerRead: number

  constructor(
    private stream: PingStream,
    private options: ReaderOptions
  ) {
    this.#entriesPerRead = Math.max(1, Math.ceil(options.batchSize / 64))
  }

  readNew() {
    return this.stream.readNew(this.#entriesPerRead, this.options.blockMs)
  }

  /**
   * Adds to a batch of new entries those that came since it was read, up to
   * `batchSize` pings, without waiting. The worker reads its next batch while
   * PostgreSQL stores the current one; under load that read returns at once
   * with the few entries there, and what arrives during the store would wait
   * for one more round. Topped up just before its store, a batch takes them
   * too: fewer, larger transactions, each Token's row updated once for more
   * of its Pings, and no ping waits longer.
   */
  async topUp(batch: Batch): Promise<Batch> {
    if (batch.claimed || batch.entries.length === 0) {
      return batch
    }
    const held = preparePings(batch.entries).length
    const room = this.options.batchSize - held
    const perEntry = held / batch.entries.length
    if (room < perEntry) {
      return batch
    }
    const more = await this.stream.readNew(Math.max(1, Math.floor(room / perEntry)), null)
    return more.length === 0 ? batch : { entries: [...batch.entries, ...more], claimed: false }
  }

  /**
   * Reads a batch and decodes it (the worker does so for the next batch while
   * PostgreSQL stores the current one).
   */
  async read(claimAlways = false): Promise<Batch> {
    const batch = await this.#read(claimAlways)
    const pings = preparePings(batch.entries).length
    if (batch.entries.length > 0 && pings > 0) {
      const perEntry = pings / batch.entries.length
      this.#entriesPerRead = Math.max(1, Math.round(this.options.batchSize / perEntry))
    }
    return batch
  }

  async #read(claimAlways: boolean): Promise<Batch> {
    const claimEvery = Math.min(this.options.claimIdleMs, 5000)
    if (claimAlways || Date.now() - this.#lastClaimAt >= claimEvery) {
      this.#lastClaimAt = Date.now()
      const stale = await this.stream.claimStale(this.options.claimIdleMs, this.#entriesPerRead)
      if (stale.length > 0) {
        return { entries: stale, claimed: true }
      }
      // Nothing left to claim: a consumer silent that long is a dead worker's.
      await this.stream.forgetDeadConsumers(this.options.claimIdleMs)
    }
    return { entries: await this.readNew(), claimed: false }
  }
}
