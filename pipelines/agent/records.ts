import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

export type RunResult = 'passed' | 'failed' | 'interrupted'

/** One line of runs.jsonl: which commit ran, how it ended, where its log is. */
export interface RunRecord {
  branch: string
  commit: string
  started: string
  seconds: number
  result: RunResult
  exitCode?: number | null
  /** Why a run failed before its command ran (checkout). */
  why?: string
  log: string
}

/** A branch name as a file name can hold it. */
function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_')
}

/**
 * What the agent keeps in the state folder: `agent/seen.json` (the last
 * commit of each branch that ran or was taken as seen), `runs.jsonl` (one
 * record a run) and `runs/<time>-<branch>-<commit>.log`.
 */
export class Records {
  readonly dir: string

  constructor(stateDir: string) {
    this.dir = stateDir
  }

  #ensure(path: string) {
    if (mkdirSync(path, { recursive: true }) !== undefined) {
      chmodSync(path, 0o2775)
    }
  }

  /** The commits taken as seen, or undefined on the agent's very first start. */
  seen(): Record<string, string> | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, 'agent', 'seen.json'), 'utf8'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined
      }
      throw new Error(`cannot read ${join(this.dir, 'agent', 'seen.json')}: ${error}`)
    }
  }

  saveSeen(seen: Record<string, string>) {
    this.#ensure(join(this.dir, 'agent'))
    const path = join(this.dir, 'agent', 'seen.json')
    writeFileSync(`${path}.tmp`, `${JSON.stringify(seen, null, 2)}\n`)
    renameSync(`${path}.tmp`, path)
  }

  logPath(started: Date, branch: string, commit: string): string {
    this.#ensure(join(this.dir, 'runs'))
    const time = started.toISOString().replace(/[-:]|\.\d+/g, '')
    return join(this.dir, 'runs', `${time}-${safe(branch)}-${commit.slice(0, 12)}.log`)
  }

  /** The log of a commit's run, once the run has started. */
  logOf(commit: string): string | undefined {
    let names: string[]
    try {
      names = readdirSync(join(this.dir, 'runs'))
    } catch {
      return undefined
    }
    const name = names.find((file) => file.endsWith(`-${commit.slice(0, 12)}.log`))
    return name ? join(this.dir, 'runs', name) : undefined
  }

  /** Records a run and keeps the logs of the newest `keep` runs (names sort by time). */
  append(record: RunRecord, keep = 200) {
    appendFileSync(join(this.dir, 'runs.jsonl'), `${JSON.stringify(record)}\n`)
    const logs = readdirSync(join(this.dir, 'runs')).sort()
    for (const old of logs.slice(0, Math.max(0, logs.length - keep))) {
      rmSync(join(this.dir, 'runs', old), { force: true })
    }
  }

  runs(): RunRecord[] {
    try {
      return readFileSync(join(this.dir, 'runs.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    } catch {
      return []
    }
  }
}
