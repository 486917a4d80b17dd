import type { Writable } from 'node:stream'
import type { Secrets } from './secrets.ts'

/** Seconds with one decimal, as the headings and the summary show them. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** Rows as aligned columns, one line each, the first row the heading. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()
    )
    .map((line) => `${line}\n`)
    .join('')
}

/**
 * The pipeline's output: one place that writes, so that every line is masked.
 */
export class Log {
  readonly secrets: Secrets
  readonly #out: Writable

  constructor(secrets: Secrets, out: Writable = process.stdout) {
    this.secrets = secrets
    this.#out = out
  }

  /** Writes raw text (a command's output), masked. */
  write(text: string) {
    this.#out.write(this.secrets.mask(text))
  }

  line(text = '') {
    this.write(`${text}\n`)
  }

  heading(title: string) {
    this.line(`\n== ${title}`)
  }
}
