import { createHash } from 'node:crypto'
import type { Secret } from '@adonisjs/core/helpers'
import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import type { AccessToken } from '@adonisjs/auth/access_tokens'
import type { LucidTokenable } from '@adonisjs/auth/types/access_tokens'

/** How long a verified API key and its User are trusted without a query. */
const TTL_MS = 10_000
const MAX_ENTRIES = 10_000

class TtlCache<Value> {
  #entries = new Map<string, { value: Value; until: number }>()

  get(key: string): Value | undefined {
    const entry = this.#entries.get(key)
    if (entry && entry.until > Date.now()) {
      return entry.value
    }
    this.#entries.delete(key)
    return undefined
  }

  set(key: string, value: Value) {
    if (this.#entries.size >= MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value!)
    }
    this.#entries.set(key, { value, until: Date.now() + TTL_MS })
  }

  clear() {
    this.#entries.clear()
  }
}

const tokens = new TtlCache<AccessToken>()
const users = new TtlCache<any>()

/**
 * Forgets every cached key and User of this process: called when a key is
 * revoked or a User changes, so this process stops trusting them at once
 * (other processes within TTL_MS).
 */
export function forgetApiKeys() {
  tokens.clear()
  users.clear()
}

/**
 * The API-key user provider, with verified keys and their Users kept for a
 * few seconds: an API call then costs no authentication query, and
 * `last_used_at` is written once per key per TTL instead of on every call.
 */
export class CachedApiKeyUserProvider<
  TokenableProperty extends string,
  UserModel extends LucidTokenable<TokenableProperty>,
> extends AccessTokensLucidUserProvider<TokenableProperty, UserModel> {
  async verifyToken(tokenValue: Secret<string>) {
    const key = createHash('sha256').update(tokenValue.release()).digest('base64url')
    const cached = tokens.get(key)
    if (cached && !cached.isExpired()) {
      return cached
    }
    const token = await super.verifyToken(tokenValue)
    if (token) {
      tokens.set(key, token)
    }
    return token
  }

  async findById(identifier: string | number | BigInt) {
    const key = String(identifier)
    const cached = users.get(key)
    if (cached) {
      return cached
    }
    const user = await super.findById(identifier)
    if (user) {
      users.set(key, user)
    }
    return user
  }
}
