import type { Redis } from 'ioredis'
import { redisKeys } from '#lib/redis_keys'
import type { PreparedPing, StreamEntry } from '#services/ingest/stream_entries'

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

  /**
   * Removes from the group the other consumers silent longer than `idleMs`
   * that hold no entry (a dead worker's, once claimed), so the group lists
   * live workers only. One script: a consumer cannot read between the check
   * and its removal. A live worker removed by mistake comes back on its next
   * read. Returns the names removed.
   */
  async forgetDeadConsumers(idleMs: number): Promise<string[]> {
    return (await this.writer.eval(
      FORGET_SCRIPT,
      1,
      redisKeys.pings,
      redisKeys.ingestGroup,
      idleMs,
      this.consumer
    )) as string[]
  }

  /** New entries, waiting up to `blockMs` for one; null `blockMs`: what is there now. */
  async readNew(count: number, blockMs: number | null): Promise<StreamEntry[]> {
    const block = blockMs === null ? [] : ['BLOCK', blockMs]
    const result = (await this.reader.callBuffer(
      'XREADGROUP',
      'GROUP',
      redisKeys.ingestGroup,
      this.consumer,
      'COUNT',
      count,
      ...block,
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
   * entry still pending, or past the last one delivered when none is (XTRIM
   * MINID is far cheaper than XDEL per entry), so XLEN stays the number of
   * entries not yet stored, whichever worker acknowledged last.
   */
  async ack(entries: StreamEntry[]) {
    const ids = entries.map((entry) => entry.id)
    const results = await this.writer
      .pipeline()
      .xack(redisKeys.pings, redisKeys.ingestGroup, ...ids)
      .eval(TRIM_SCRIPT, 1, redisKeys.pings, redisKeys.ingestGroup)
      .exec()
    const failed = results?.find(([error]) => error)
    if (failed) {
      throw failed[0]
    }
  }
}

/** KEYS stream · ARGV group, idle ms, this consumer */
const FORGET_SCRIPT = `
local removed = {}
for _, flat in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #flat, 2 do info[flat[i]] = flat[i + 1] end
  if info['name'] ~= ARGV[3] and info['pending'] == 0 and info['idle'] > tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    removed[#removed + 1] = info['name']
  end
end
return removed
`

/**
 * KEYS stream · ARGV group. Entries below the oldest pending one, or up to
 * the last one delivered to the group when none is pending, were all
 * delivered and acknowledged: drop them. Ids are compared as numbers, and
 * only the sequence part is incremented (a Lua number prints 13-digit
 * milliseconds in exponent form).
 */
const TRIM_SCRIPT = `
local function parse(id)
  local ms, seq = string.match(id, '(%d+)-(%d+)')
  return ms, tonumber(seq)
end
local function before(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  am, bm = tonumber(am), tonumber(bm)
  return am < bm or (am == bm and as < bs)
end
local threshold
for _, flat in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local info = {}
  for i = 1, #flat, 2 do info[flat[i]] = flat[i + 1] end
  if info['name'] == ARGV[1] then
    local ms, seq = parse(info['last-delivered-id'])
    threshold = ms .. '-' .. (seq + 1)
  end
end
if not threshold then return 0 end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
if pending[1] > 0 and before(pending[2], threshold) then threshold = pending[2] end
return redis.call('XTRIM', KEYS[1], 'MINID', threshold)
`
