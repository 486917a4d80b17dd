import type { Log } from './log.ts'

/**
 * What a dry run would have done, in order: shell commands (`$ ...`), Docker
 * API calls (`docker ...`) and AWS API calls (`aws ...`). Each is printed as
 * it is recorded and kept for tests.
 */
export class Plan {
  readonly lines: string[] = []
  readonly #log: Log

  constructor(log: Log) {
    this.#log = log
  }

  record(line: string) {
    const masked = this.#log.secrets.mask(line)
    this.lines.push(masked)
    this.#log.line(masked)
  }
}
