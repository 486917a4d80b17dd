import type { Redis } from 'ioredis'
import { redisKeys } from '#lib/redis_keys'
import type { PreparedPing, StreamEntry } from '#services/stream_entries'

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
   * Keeps a ping PostgreSQL refused, with the reason, on the dead-letter stream.
   */
  async deadLetter(ping: PreparedPing, error: Error) {
    const { body, ...message } = ping.message
    await this.writer.xadd(
      redisKeys.deadPings,
      '*',
      ...[
        ...['id', ping.id, 'ping', JSON.stringify(message), 'error', error.message],
        ...(body ? ['b', body] : []),
      ]
    )
  }

  /**
   * Acknowledges stored entries, then trims the stream below the oldest
   * entry still pending (XTRIM MINID is far cheaper than XDEL per entry), so
   * XLEN stays the number of pings not yet stored.
   */
  async ack(entries: StreamEntry[]) {
    const ids = entries.map((entry) => entry.id)
    const results = await this.writer
      .pipeline()
      .xack(redisKeys.pings, redisKeys.ingestGroup, ...ids)
      .eval(TRIM_SCRIPT, 1, redisKeys.pings, redisKeys.ingestGroup, nextId(maxId(ids)))
      .exec()
    const failed = results?.find(([error]) => error)
    if (failed) {
      throw failed[0]
    }
  }
}

/**
 * KEYS stream · ARGV group, threshold. Entries below the oldest pending one
 * (and below the threshold, just past what this worker acknowledged) were all
 * delivered and acknowledged: drop them.
 */
const TRIM_SCRIPT = `
local function before(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local threshold = ARGV[2]
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
if pending[1] > 0 and before(pending[2], threshold) then threshold = pending[2] end
return redis.call('XTRIM', KEYS[1], 'MINID', threshold)
`

function parseId(id: string): [number, number] {
  const [ms, seq] = id.split('-')
  return [Number(ms), Number(seq)]
}

function maxId(ids: string[]) {
  let best = ids[0]
  let [bestMs, bestSeq] = parseId(best)
  for (const id of ids) {
    const [ms, seq] = parseId(id)
    if (ms > bestMs || (ms === bestMs && seq > bestSeq)) {
      best = id
      bestMs = ms
      bestSeq = seq
    }
  }
  return best
}

function nextId(id: string) {
  const [ms, seq] = parseId(id)
  return `${ms}-${seq + 1}`
}
