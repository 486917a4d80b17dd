import type { Redis } from 'ioredis'
import db from '@adonisjs/lucid/services/db'
import { redisKeys } from '#lib/redis_keys'
import { storePingBatch, type StreamEntry } from '#services/ping_batch'

export interface IngestOptions {
  /** Unique name of this worker in the consumer group */
  consumer: string
  /** Entries read per round trip */
  batchSize: number
  /** How long one read waits for new entries */
  blockMs: number
  /** Entries pending this long belong to a dead worker and are claimed again */
  claimIdleMs: number
}

type RawEntry = [Buffer, Buffer[]]

function toEntries(raw: RawEntry[] | null | undefined): StreamEntry[] {
  return (raw ?? [])
    .filter((entry) => entry && entry[1])
    .map(([id, fields]) => ({ id: id.toString(), fields }))
}

/**
 * Drains the pings stream into PostgreSQL. `runOnce` handles one batch and is
 * what tests call; the worker command loops over it.
 */
export class PingIngest {
  #stopping = false

  constructor(
    private redis: Redis,
    private options: IngestOptions
  ) {}

  async ensureGroup() {
    try {
      await this.redis.xgroup('CREATE', redisKeys.pings, redisKeys.ingestGroup, '0', 'MKSTREAM')
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) {
        throw error
      }
    }
  }

  stop() {
    this.#stopping = true
  }

  get stopping() {
    return this.#stopping
  }

  /**
   * Reads one batch (stale entries of dead workers first), stores it in one
   * transaction and acknowledges it after the commit. Returns the number of
   * entries handled.
   */
  async runOnce(): Promise<number> {
    const entries = (await this.claimStale()) ?? (await this.readNew())
    if (entries.length === 0) {
      return 0
    }
    await this.storeWithRetry(entries)
    const ids = entries.map((entry) => entry.id)
    await this.redis
      .multi()
      .xack(redisKeys.pings, redisKeys.ingestGroup, ...ids)
      .xdel(redisKeys.pings, ...ids)
      .exec()
    return entries.length
  }

  async claimStale(): Promise<StreamEntry[] | null> {
    const [, claimed, deleted] = (await this.redis.callBuffer(
      'XAUTOCLAIM',
      redisKeys.pings,
      redisKeys.ingestGroup,
      this.options.consumer,
      this.options.claimIdleMs,
      '0-0',
      'COUNT',
      this.options.batchSize
    )) as unknown as [Buffer, RawEntry[], Buffer[]]
    if (deleted?.length) {
      await this.redis.xack(redisKeys.pings, redisKeys.ingestGroup, ...deleted.map(String))
    }
    const entries = toEntries(claimed)
    return entries.length > 0 ? entries : null
  }

  async readNew(): Promise<StreamEntry[]> {
    const result = (await this.redis.callBuffer(
      'XREADGROUP',
      'GROUP',
      redisKeys.ingestGroup,
      this.options.consumer,
      'COUNT',
      this.options.batchSize,
      'BLOCK',
      this.options.blockMs,
      'STREAMS',
      redisKeys.pings,
      '>'
    )) as [Buffer, RawEntry[]][] | null
    return toEntries(result?.[0]?.[1])
  }

  /**
   * PostgreSQL being down must not lose or skip a batch: keep it and retry
   * with backoff. A stop request leaves it unacknowledged for the next worker.
   */
  async storeWithRetry(entries: StreamEntry[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction((trx) => storePingBatch(trx, entries))
      } catch (error) {
        if (this.#stopping) {
          throw error
        }
        const delay = Math.min(100 * 2 ** attempt, 5000)
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }
}
