import { mkdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AgentConfig } from './config.ts'
import { remoteHeads } from './git.ts'
import { Records, type RunRecord } from './records.ts'
import { oneLine, Run } from './run.ts'

/**
 * The build host's agent: watches the remote's branches and runs the
 * pipeline for each new commit, one run at a time. A push during a run is
 * seen at the next poll, after the run; pushes to one branch meanwhile
 * coalesce into its newest commit. `tick()` is one poll (and at most one
 * run); `watch()` loops over it until stop().
 */
export class Agent {
  readonly records: Records
  readonly #config: AgentConfig
  readonly #say: (line: string) => void
  readonly #stopped = new AbortController()
  #run?: Run
  #lastPollError = ''

  constructor(config: AgentConfig, say: (line: string) => void = console.log) {
    this.#config = config
    this.#say = say
    this.records = new Records(config.stateDir)
  }

  /** The next commit to run: main's first, then other branches by name. */
  #pending(heads: Map<string, string>): [string, string] | undefined {
    const main = this.#config.mainBranch
    let seen = this.records.seen()
    if (seen === undefined) {
      // First start ever: main's commit runs, other branches wait for their next push.
      seen = Object.fromEntries([...heads].filter(([branch]) => branch !== main))
      this.records.saveSeen(seen)
      this.#say(`agent: first start: ${Object.keys(seen).length} other branches taken as seen`)
    }
    return [...heads]
      .filter(([branch, commit]) => seen[branch] !== commit)
      .sort(([a], [b]) => (a === main ? -1 : b === main ? 1 : a.localeCompare(b)))[0]
  }

  #markSeen(branch: string, commit: string, heads: Map<string, string>) {
    const seen = { ...this.records.seen(), [branch]: commit }
    // Branches deleted on the remote are forgotten.
    this.records.saveSeen(Object.fromEntries(Object.entries(seen).filter(([b]) => heads.has(b))))
  }

  async #heads(): Promise<Map<string, string> | undefined> {
    try {
      const heads = await remoteHeads(this.#config.repo, this.#config.stateDir)
      this.#lastPollError = ''
      return heads
    } catch (error) {
      const message = `agent: cannot read the branches of ${this.#config.repo}: ${oneLine(error)}`
      if (message !== this.#lastPollError) {
        this.#say(message)
        this.#lastPollError = message
      }
      return undefined
    }
  }

  /** One poll: runs the next new commit, if there is one, and returns its record. */
  async tick(): Promise<RunRecord | undefined> {
    mkdirSync(this.#config.stateDir, { recursive: true })
    const heads = await this.#heads()
    const next = heads && this.#pending(heads)
    if (!heads || !next || this.#stopped.signal.aborted) {
      return undefined
    }
    const [branch, commit] = next
    const log = this.records.logPath(new Date(), branch, commit)
    this.#say(`agent: run ${branch} ${commit.slice(0, 12)}: ${this.#config.command} (log ${log})`)
    this.#run = new Run(this.#config, branch, commit, log)
    const record = await this.#run.execute()
    this.#run = undefined
    this.records.append(record)
    if (record.result !== 'interrupted') {
      this.#markSeen(branch, commit, heads)
    }
    const how =
      record.result === 'failed'
        ? `failed (${record.why ?? `exit ${record.exitCode}`})`
        : record.result
    this.#say(`agent: ${branch} ${commit.slice(0, 12)} ${how} in ${record.seconds} s`)
    return record
  }

  /** Polls every interval until stop(); after a run, polls again at once. */
  async watch() {
    const { repo, intervalMs, workDir, stateDir } = this.#config
    this.#say(
      `agent: watching ${repo} every ${intervalMs / 1000} s; runs in ${workDir}, records in ${stateDir}`
    )
    while (!this.#stopped.signal.aborted) {
      const ran = await this.tick()
      if (!ran && !this.#stopped.signal.aborted) {
        await sleep(intervalMs, undefined, { signal: this.#stopped.signal }).catch(() => {})
      }
    }
  }

  /** Ends the loop and the run going on (recorded as interrupted, it runs again next time). */
  stop() {
    this.#stopped.abort()
    this.#run?.stop()
  }
}
