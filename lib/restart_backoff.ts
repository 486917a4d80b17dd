/**
 * How long `pnpm start` waits before restarting a role that died: 1 s, 2 s,
 * 4 s … up to 60 s for each failure in a row. A run that lasted `stableMs`
 * starts the count again.
 */
export class RestartBackoff {
  #failures = 0
  readonly firstMs: number
  readonly maxMs: number
  readonly stableMs: number

  constructor(firstMs = 1000, maxMs = 60_000, stableMs = 60_000) {
    this.firstMs = firstMs
    this.maxMs = maxMs
    this.stableMs = stableMs
  }

  /** The delay before the next start, given how long the last run lasted. */
  next(ranMs: number): number {
    this.#failures = ranMs >= this.stableMs ? 1 : this.#failures + 1
    return Math.min(this.firstMs * 2 ** (this.#failures - 1), this.maxMs)
  }
}
