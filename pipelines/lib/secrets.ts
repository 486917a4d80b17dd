/**
 * Values that must never reach the log (ECR password, DB password, API keys).
 * Every line the pipeline prints, its own and its commands', goes through
 * mask().
 */
export class Secrets {
  #values: string[] = []

  /** Registers values to hide; empty and very short ones are ignored. */
  add(...values: Array<string | undefined>) {
    for (const value of values) {
      if (value && value.length >= 4 && !this.#values.includes(value)) {
        this.#values.push(value)
        this.#values.sort((a, b) => b.length - a.length)
      }
    }
  }

  mask(text: string): string {
    let masked = text
    for (const value of this.#values) {
      masked = masked.replaceAll(value, '***')
    }
    return masked
  }
}
