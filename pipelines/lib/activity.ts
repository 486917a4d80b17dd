import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

/** The build host's one state directory, shared by every user (the bootstrap makes it). */
export const STATE_DIR = '/var/lib/ngip-pipeline'

export type Clock = () => number

/** What idle-check reads: the runs now, the last activity, and what it could not read. */
export interface ActivityState {
  running: number[]
  last?: number
  /** Marks that exist but could not be read: the host is not known to be idle. */
  unreadable: string[]
}

/** Whether a process exists, whoever owns it. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message
}

/** A group-writable folder (setgid keeps the group), whoever makes it first. */
function ensureDir(path: string) {
  if (mkdirSync(path, { recursive: true }) !== undefined) {
    chmodSync(path, 0o2775)
  }
}

/** Writes by rename, so that a user may replace a mark another user left. */
function writeMark(path: string, text: string) {
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, text)
  chmodSync(temporary, 0o664)
  renameSync(temporary, path)
}

/**
 * The build host's record of pipeline activity, in one folder for every
 * user: `last-activity` holds the time of the last start or end of a run,
 * `running/<pid>` marks one that runs now. idle-check reads both.
 */
export class Activity {
  readonly #dir: string
  readonly #clock: Clock
  readonly #isAlive: (pid: number) => boolean
  readonly #warn: (line: string) => void

  constructor(
    dir: string,
    clock: Clock = Date.now,
    isAlive = alive,
    warn = (line: string) => console.error(line)
  ) {
    this.#dir = dir
    this.#clock = clock
    this.#isAlive = isAlive
    this.#warn = warn
  }

  #touch() {
    writeMark(join(this.#dir, 'last-activity'), String(this.#clock()))
  }

  /**
   * Marks a run as going on; the returned function marks its end. A folder
   * this user may not write is reported, and the run goes on unmarked.
   */
  begin(pid = process.pid): () => void {
    const mark = join(this.#dir, 'running', String(pid))
    try {
      ensureDir(this.#dir)
      ensureDir(join(this.#dir, 'running'))
      writeMark(mark, String(this.#clock()))
      this.#touch()
    } catch (error) {
      this.#warn(
        `activity: cannot mark pid ${pid} as running in ${this.#dir} (${code(error)}); idle-check will not see this run`
      )
      return () => {}
    }
    return () => {
      try {
        rmSync(mark, { force: true })
        this.#touch()
      } catch (error) {
        this.#warn(`activity: cannot mark the end of pid ${pid} in ${this.#dir} (${code(error)})`)
      }
    }
  }

  read(): ActivityState {
    const unreadable: string[] = []
    const running = this.#running(unreadable)
    const last = this.#last(unreadable)
    return { running, last, unreadable }
  }

  #last(unreadable: string[]): number | undefined {
    const path = join(this.#dir, 'last-activity')
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      if (code(error) !== 'ENOENT') {
        unreadable.push(`${path} (${code(error)})`)
      }
      return undefined
    }
    const time = Number(text.trim())
    if (text.trim() === '' || !Number.isFinite(time)) {
      unreadable.push(`${path} (not a time: "${text.slice(0, 20)}")`)
      return undefined
    }
    return time
  }

  /** Runs going on now; marks left by processes that died are dropped. */
  #running(unreadable: string[]): number[] {
    const dir = join(this.#dir, 'running')
    let pids: number[]
    try {
      pids = readdirSync(dir)
        .filter((name) => /^\d+$/.test(name))
        .map(Number)
    } catch (error) {
      if (code(error) !== 'ENOENT') {
        unreadable.push(`${dir} (${code(error)})`)
      }
      return []
    }
    const stale = pids.filter((pid) => !this.#isAlive(pid))
    for (const pid of stale) {
      try {
        rmSync(join(dir, String(pid)), { force: true })
      } catch {
        // A dead process's mark that stays behind counts for nothing either way.
      }
    }
    return pids.filter((pid) => !stale.includes(pid))
  }
}
