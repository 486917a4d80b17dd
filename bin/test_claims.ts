import type { Redis } from 'ioredis'

const CLAIM_TTL_MS = 60_000
const REFRESH_MS = 15_000

export const claimKey = (what: string) => `ngip:test-claim:${what}`

/** Refreshes the claim only when it is still ours (an expired one may be another run's). */
const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`

/**
 * Claims kept in Redis' DB 0 under one owner: refreshed while the run
 * lasts, given back at its end, expired soon after a run that died.
 */
export class Claims {
  #held: string[] = []
  #refresh = setInterval(() => this.#refreshAll(), REFRESH_MS)

  readonly redis: Redis
  #owner: string

  constructor(redis: Redis, owner: string) {
    this.redis = redis
    this.#owner = owner
    this.#refresh.unref()
  }

  /** The first of `candidates` no live run holds, now ours; null when all are held. */
  async first(candidates: string[]) {
    for (const candidate of candidates) {
      if (await this.redis.set(claimKey(candidate), this.#owner, 'PX', CLAIM_TTL_MS, 'NX')) {
        this.#held.push(candidate)
        return candidate
      }
    }
    return null
  }

  async release() {
    clearInterval(this.#refresh)
    for (const held of this.#held) {
      await this.redis.eval(RELEASE, 1, claimKey(held), this.#owner).catch(() => {})
    }
    await this.redis.quit().catch(() => {})
  }

  #refreshAll() {
    for (const held of this.#held) {
      this.redis.eval(REFRESH, 1, claimKey(held), this.#owner, CLAIM_TTL_MS).catch(() => {})
    }
  }
}
