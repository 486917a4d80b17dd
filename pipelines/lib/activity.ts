import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type Clock = () => number

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The build host's record of pipeline activity: `last-activity` holds the
 * time of the last start or end of a pipeline, `running/<pid>` marks one that
 * runs now. idle-check reads both.
 */
export class Activity {
  readonly #dir: string
  readonly #clock: Clock
  readonly #isAlive: (pid: number) => boolean

  constructor(dir: string, clock: Clock = Date.now, isAlive = alive) {
    this.#dir = dir
    this.#clock = clock
    this.#isAlive = isAlive
  }

  #touch() {
    mkdirSync(join(this.#dir, 'running'), { recursive: true })
    writeFileSync(join(this.#dir, 'last-activity'), String(this.#clock()))
  }

  /** Marks a pipeline as running; the returned function marks its end. */
  begin(pid = process.pid): () => void {
    this.#touch()
    writeFileSync(join(this.#dir, 'running', String(pid)), String(this.#clock()))
    return () => {
      rmSync(join(this.#dir, 'running', String(pid)), { force: true })
      this.#touch()
    }
  }

  lastActivity(): number | undefined {
    try {
      return Number(readFileSync(join(this.#dir, 'last-activity'), 'utf8'))
    } catch {
      return undefined
    }
  }

  /** Pipelines running now; marks left by processes that died are dropped. */
  running(): number[] {
    let pids: number[] = []
    try {
      pids = readdirSync(join(this.#dir, 'running')).map(Number)
    } catch {
      return []
    }
    const stale = pids.filter((pid) => !this.#isAlive(pid))
    stale.forEach((pid) => rmSync(join(this.#dir, 'running', String(pid)), { force: true }))
    return pids.filter((pid) => !stale.includes(pid))
  }
}
