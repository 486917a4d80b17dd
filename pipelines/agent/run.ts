import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { Activity } from '../lib/activity.ts'
import type { AgentConfig } from './config.ts'
import { checkoutCommit } from './git.ts'
import type { RunRecord } from './records.ts'

export function oneLine(error: unknown): string {
  return String((error as Error).message ?? error)
    .trim()
    .split('\n')[0]
}

/**
 * One run of the pipeline for one commit: the checkout, then the command
 * with BRANCH_NAME set, its output in `log`. The host counts as busy for the
 * whole of it. stop() ends the command's whole process group.
 */
export class Run {
  readonly record: RunRecord
  readonly #config: AgentConfig
  #child?: ChildProcess
  #stopped = false

  constructor(config: AgentConfig, branch: string, commit: string, log: string) {
    this.#config = config
    this.record = {
      branch,
      commit,
      started: new Date().toISOString(),
      seconds: 0,
      result: 'failed',
      log,
    }
  }

  async execute(): Promise<RunRecord> {
    const { branch, commit, log } = this.record
    const fd = openSync(log, 'a', 0o664)
    const end = new Activity(this.#config.stateDir).begin()
    try {
      writeSync(fd, `agent: ${branch} at ${commit}\n`)
      await checkoutCommit(this.#config.repo, this.#config.workDir, commit, fd)
      writeSync(fd, `agent: $ ${this.#config.command}\n`)
      this.record.exitCode = await this.#command(fd)
      const passed = this.record.exitCode === 0
      this.record.result = this.#stopped ? 'interrupted' : passed ? 'passed' : 'failed'
    } catch (error) {
      this.record.why = oneLine(error)
      writeSync(fd, `agent: ${this.record.why}\n`)
    } finally {
      closeSync(fd)
      end()
    }
    this.record.seconds = Math.round((Date.now() - Date.parse(this.record.started)) / 100) / 10
    return this.record
  }

  #command(fd: number): Promise<number | null> {
    const { branch, commit } = this.record
    return new Promise((resolve, reject) => {
      if (this.#stopped) {
        resolve(null)
        return
      }
      const child = spawn('/bin/sh', ['-c', this.#config.command], {
        cwd: this.#config.workDir,
        env: { ...this.#config.env, BRANCH_NAME: branch, NGIP_AGENT_COMMIT: commit },
        stdio: ['ignore', fd, fd],
        detached: true,
      })
      this.#child = child
      child.on('error', reject)
      child.on('exit', (code) => resolve(code))
    })
  }

  stop() {
    this.#stopped = true
    if (this.#child?.pid && this.#child.exitCode === null) {
      try {
        process.kill(-this.#child.pid, 'SIGTERM')
      } catch {
        // The run ended meanwhile.
      }
    }
  }
}
