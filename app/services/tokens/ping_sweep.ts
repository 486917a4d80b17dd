import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import { PingPruner, type SweepResult } from '#services/tokens/ping_pruner'

/**
 * The scheduler's pruning sweep. It visits only Tokens with Pings since their
 * last pruning, except once after PING_LOG_LIMIT was lowered (or Redis forgot
 * the limit of the last sweep), when Tokens pruned to the old limit may hold
 * more than the new one: then it visits every Token past the limit.
 */
export async function sweepPings(limit: number): Promise<SweepResult & { full: boolean }> {
  const last = Number(await redis.get(redisKeys.pruneLimit))
  const full = !(last > 0 && last <= limit)
  const result = await new PingPruner(limit).sweep({ full })
  await redis.set(redisKeys.pruneLimit, String(limit))
  return { ...result, full }
}
