import type { Redis } from 'ioredis'
import { redisKeys } from '#lib/redis_keys'
import type { StreamEntry } from '#services/ping_batch'

type RawEntry = [Buffer, Buffer[]]

function toEntries(raw: RawEntry[] | null | undefined): StreamEntry[] {
  return (raw ?? [])
    .filter((entry) => entry && entry[1])
    .map(([id, fields]) => ({ id: id.toString(), fields }))
}

/**
 * The worker's side of the pings stream: the consumer group, reads of new and
 * of stale (dead consumer's) entries, and acknowledgement.
 */
export class PingStream {
  constructor(
    /** Reads block on this connection */
    readonly reader: Redis,
    /** Acknowledgements go over this one, so they never wait behind a read */
    readonly writer: Redis,
    readonly consumer: string
  ) {}

  async ensureGroup() {
    try {
      await this.writer.xgroup('CREATE', redisKeys.pings, redisKeys.ingestGroup, '0', 'MKSTREAM')
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) {
        throw error
      }
    }
  }

  /**
   * Entries pending longer than `idleMs` (their consumer died) become ours.
   */
  async claimStale(idleMs: number, count: number): Promise<StreamEntry[]> {
    const [, claimed, deleted] = (await this.reader.callBuffer(
      'XAUTOCLAIM',
      redisKeys.pings,
      redisKeys.ingestGroup,
      this.consumer,
      idleMs,
      '0-0',
      'COUNT',
      count
    )) as unknown as [Buffer, RawEntry[], Buffer[]]
    if (deleted?.length) {
      await this.writer.xack(redisKeys.pings, redisKeys.ingestGroup, ...deleted.map(String))
    }
    return toEntries(claimed)
  }

  async readNew(count: number, blockMs: number): Promise<StreamEntry[]> {
    const result = (await this.reader.callBuffer(
      'XREADGROUP',
      'GROUP',
      redisKeys.ingestGroup,
      this.consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      redisKeys.pings,
      '>'
    )) as [Buffer, RawEntry[]][] | null
    return toEntries(result?.[0]?.[1])
  }

  /**
   * Acknowledges stored entries and drops them from the stream, atomically.
   */
  async ack(entries: StreamEntry[]) {
    const ids = entries.map((entry) => entry.id)
    const results = await this.writer
      .multi()
      .xack(redisKeys.pings, redisKeys.ingestGroup, ...ids)
      .xdel(redisKeys.pings, ...ids)
      .exec()
    const failed = results?.find(([error]) => error)
    if (failed) {
      throw failed[0]
    }
  }
}
