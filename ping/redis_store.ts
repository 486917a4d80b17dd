import { redisKeys, slugField } from '#lib/redis_keys'
import { encodePingFields, type PingMessage } from '#lib/ping_message'
import type { PingTarget } from '#lib/ping_url'
import { autoTokenUuid } from '#lib/uuid'
import type { AcceptOptions, AcceptResult, PingStore } from './core.js'
import type { EdgeConfig } from './config.js'
import { RedisClient } from './redis_client.js'

/**
 * Resolve the Token, check the rate limit and enqueue, in one round trip and
 * atomically: a Token deleted a moment ago is never enqueued, PostgreSQL is
 * never asked.
 *
 * Auto-provisioning (`?create=1`): the edge cannot write PostgreSQL, so it
 * registers the slug under a deterministic UUID (uuidv5 of ping key and slug)
 * here, in the same script as the XADD, and puts the create request on the
 * stream with the ping. Following pings resolve at once; the worker inserts
 * the Token row when it stores the ping (idempotent: same UUID every time, so
 * a retried or concurrent create, or one replayed after a crash, makes one
 * Token). Only ping keys of real Users may provision.
 *
 * KEYS: tokens, slugs, slugOf, pingKeys, stream
 * ARGV: uuid (UUID form) or "" · slug field · UUID to provision or "" ·
 *       ping key · rate limit · rate key prefix · fields...
 * Returns 0 unknown, 1 accepted, 2 rate limited, 3 created.
 */
const ACCEPT_SCRIPT = `
local uuid, created = ARGV[1], false
if uuid == '' then
  uuid = redis.call('HGET', KEYS[2], ARGV[2])
  if not uuid then
    if ARGV[3] == '' or redis.call('SISMEMBER', KEYS[4], ARGV[4]) == 0 then return 0 end
    uuid = ARGV[3]
    redis.call('HSET', KEYS[2], ARGV[2], uuid)
    redis.call('HSET', KEYS[3], uuid, ARGV[2])
    redis.call('SADD', KEYS[1], uuid)
    created = true
  end
elseif redis.call('SISMEMBER', KEYS[1], uuid) == 0 then
  return 0
end
local limit = tonumber(ARGV[5])
if limit > 0 and not created then
  local counter = ARGV[6] .. uuid
  local n = redis.call('INCR', counter)
  if n == 1 then redis.call('PEXPIRE', counter, 60000) end
  if n > limit then return 2 end
end
redis.call('XADD', KEYS[5], '*', 't', uuid, unpack(ARGV, 7))
if created then return 3 end
return 1
`

const RESULTS: AcceptResult[] = ['unknown', 'accepted', 'limited', 'created']

const KEYS = [
  redisKeys.tokens,
  redisKeys.slugs,
  redisKeys.slugOf,
  redisKeys.pingKeys,
  redisKeys.pings,
]

export class RedisPingStore implements PingStore {
  readonly client: RedisClient

  constructor(config: EdgeConfig['redis'], timeoutMs = 100) {
    this.client = new RedisClient({ ...config, timeoutMs })
  }

  async accept(target: PingTarget, message: Omit<PingMessage, 'token'>, options: AcceptOptions) {
    const slug = target.kind === 'slug'
    const create = slug && message.create ? autoTokenUuid(target.pingKey, target.slug) : ''
    const result = await this.client.evalScript(ACCEPT_SCRIPT, KEYS, [
      slug ? '' : target.uuid,
      slug ? slugField(target.pingKey, target.slug) : '',
      create,
      slug ? target.pingKey : '',
      options.rateLimit,
      redisKeys.ratePrefix,
      ...encodePingFields(message),
    ])
    if (typeof result !== 'number') {
      throw result instanceof Error ? result : new Error('unexpected reply from the accept script')
    }
    return RESULTS[result] ?? 'unknown'
  }

  /**
   * Resolves once connected, or after `timeoutMs` (the edge then answers 503
   * until Redis is reachable). Only the first connection is worth waiting
   * for: later outages must answer 503 at once.
   */
  async ready(timeoutMs = 2000) {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const connected = this.client.whenReady().then(() => true)
    const result = await Promise.race([connected, timeout])
    clearTimeout(timer)
    return result
  }

  async isHealthy() {
    return (await this.client.command(['PING'])) === 'PONG'
  }

  async close() {
    this.client.close()
  }
}
