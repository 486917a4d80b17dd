import { redisKeys } from '#lib/redis_keys'

/**
 * The edge's Redis call for a group of pings (those of one event-loop turn,
 * or those that came while the previous group awaited Redis; at most 64):
 * for each, resolve the Token, check the rate limit; then enqueue the
 * accepted ones as one stream entry. Atomic: a Token deleted a moment ago is never enqueued,
 * and PostgreSQL is never asked.
 *
 * Auto-provisioning (`?create=1`): the edge cannot write PostgreSQL, so it
 * registers the slug under a deterministic UUID (uuidv5 of ping key and slug)
 * here, in the same script as the XADD, and puts the create request on the
 * stream with the ping. Following pings resolve at once; the worker inserts
 * the Token row when it stores the ping (idempotent: the same UUID every
 * time, so a retried, concurrent or replayed create makes one Token). Only
 * the ping keys of real Users may provision.
 *
 * KEYS: tokens, slugs, slugOf, pingKeys, stream
 * ARGV: rate key prefix, then per ping: UUID (UUID form) or "", slug field,
 *       UUID to provision or "", ping key, rate limit, packed ping, body or ""
 * Returns per ping: 0 unknown, 1 accepted, 2 rate limited, 3 created.
 */
export const ACCEPT_SCRIPT = `
local results, fields = {}, {}
for i = 0, (#ARGV - 1) / 7 - 1 do
  local a = 1 + i * 7
  local uuid, created = ARGV[a + 1], false
  if uuid == '' then
    uuid = redis.call('HGET', KEYS[2], ARGV[a + 2])
    if not uuid and ARGV[a + 3] ~= '' and redis.call('SISMEMBER', KEYS[4], ARGV[a + 4]) == 1 then
      uuid = ARGV[a + 3]
      redis.call('HSET', KEYS[2], ARGV[a + 2], uuid)
      redis.call('HSET', KEYS[3], uuid, ARGV[a + 2])
      redis.call('SADD', KEYS[1], uuid)
      created = true
    end
  elseif redis.call('SISMEMBER', KEYS[1], uuid) == 0 then
    uuid = false
  end
  local result = 0
  if uuid then
    result = created and 3 or 1
    local limit = tonumber(ARGV[a + 5])
    if limit > 0 and not created then
      local counter = ARGV[1] .. uuid
      local n = redis.call('INCR', counter)
      if n == 1 then redis.call('PEXPIRE', counter, 60000) end
      if n > limit then result = 2 end
    end
  end
  if result == 1 or result == 3 then
    fields[#fields + 1] = 't'
    fields[#fields + 1] = uuid
    fields[#fields + 1] = 'p'
    fields[#fields + 1] = ARGV[a + 6]
    if ARGV[a + 7] ~= '' then
      fields[#fields + 1] = 'b'
      fields[#fields + 1] = ARGV[a + 7]
    end
  end
  results[i + 1] = result
end
if #fields > 0 then redis.call('XADD', KEYS[5], '*', unpack(fields)) end
return results
`

export const ACCEPT_KEYS = [
  redisKeys.tokens,
  redisKeys.slugs,
  redisKeys.slugOf,
  redisKeys.pingKeys,
  redisKeys.pings,
]
