import { readFile } from 'node:fs/promises'
import type { Agent } from '../agent/agent.ts'
import type { RunRecord } from '../agent/records.ts'
import { seconds } from '../lib/log.ts'

/** One line of the rehearsal's table. */
export interface Phase {
  what: string
  result: 'passed' | 'failed'
  ms: number
  note: string
}

/** The stages of a pipeline run as its summary table printed them. */
export function stageResults(log: string): Record<string, string> {
  const summary = log.slice(log.lastIndexOf('== summary'))
  const results: Record<string, string> = {}
  for (const match of summary.matchAll(/^([a-z-]+)\s+(passed|failed|skipped|not run)\b/gm)) {
    results[match[1]] = match[2]
  }
  return results
}

export function describeStages(results: Record<string, string>): string {
  return Object.entries(results)
    .map(([stage, result]) => `${stage} ${result}`)
    .join(', ')
}

export interface WatchedRun {
  record: RunRecord
  log: string
  /** When a line matching each pattern first appeared in the run's log (Date.now()). */
  seen: Map<RegExp, number>
}

/**
 * Lets the agent pick up its next commit (one poll, as on the build host)
 * and notes when the run's log first shows each pattern, calling its
 * handler then (e.g. start a load when prod begins).
 */
export async function agentRun(
  agent: Agent,
  commit: string,
  watch: Array<[RegExp, () => void | Promise<void>]> = []
): Promise<WatchedRun> {
  const seen = new Map<RegExp, number>()
  let done = false
  const watcher = (async () => {
    while (!done) {
      const path = agent.records.logOf(commit)
      const text = path ? await readFile(path, 'utf8').catch(() => '') : ''
      for (const [pattern, handler] of watch) {
        if (!seen.has(pattern) && pattern.test(text)) {
          seen.set(pattern, Date.now())
          await handler()
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  })()
  let record: RunRecord | undefined
  try {
    while (!record) {
      record = await agent.tick()
      if (!record) {
        await new Promise((resolve) => setTimeout(resolve, 1000))
      } else if (record.commit !== commit) {
        throw new Error(`the agent ran ${record.commit.slice(0, 12)}, not ${commit.slice(0, 12)}`)
      }
    }
  } finally {
    done = true
    await watcher
  }
  return { record, log: await readFile(record.log, 'utf8'), seen }
}

export function phaseNote(run: WatchedRun) {
  return `${describeStages(stageResults(run.log))} (${seconds(run.record.seconds * 1000)})`
}
