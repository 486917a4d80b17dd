import type { PipelineConfig, StageName } from '../config.ts'
import type { Stage } from '../stages.ts'
import type { RunState } from '../steps/docker.ts'
import { formatTable, seconds } from './log.ts'
import type { Tools } from './tools.ts'

export interface StageResult {
  name: StageName
  result: 'passed' | 'failed' | 'skipped' | 'not run'
  ms: number
  why?: string
}

/** The first line of an error, which is all a failure prints. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.trim().split('\n')[0] || 'unknown error'
}

async function runStage(
  tools: Tools,
  config: PipelineConfig,
  stage: Stage,
  state: RunState
): Promise<StageResult> {
  const skip = stage.skip?.(config)
  tools.log.heading(stage.name)
  if (skip) {
    tools.log.line(`${stage.name} skipped: ${skip}`)
    return { name: stage.name, result: 'skipped', ms: 0, why: skip }
  }
  const started = Date.now()
  try {
    await stage.run(tools, config, state)
    const ms = Date.now() - started
    tools.log.line(`${stage.name} passed in ${seconds(ms)}`)
    return { name: stage.name, result: 'passed', ms }
  } catch (error) {
    const ms = Date.now() - started
    tools.log.line(`pipeline: ${stage.name} failed after ${seconds(ms)}: ${oneLine(error)}`)
    return { name: stage.name, result: 'failed', ms, why: oneLine(error) }
  }
}

/**
 * Runs stages in order. After a failure the rest do not run, except cleanup,
 * which always does (as the Jenkins "post" step did).
 */
export async function runStages(
  tools: Tools,
  config: PipelineConfig,
  stages: Stage[]
): Promise<StageResult[]> {
  const state: RunState = {}
  const results: StageResult[] = []
  for (const stage of stages) {
    const failed = results.some((result) => result.result === 'failed')
    if (failed && stage.name !== 'cleanup') {
      results.push({ name: stage.name, result: 'not run', ms: 0 })
      continue
    }
    results.push(await runStage(tools, config, stage, state))
  }
  return results
}

/** The table of stages, results and durations that ends a run. */
export function summaryTable(results: StageResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.result,
    r.result === 'passed' || r.result === 'failed' ? seconds(r.ms) : '',
    r.why ?? '',
  ])
  return formatTable([['stage', 'result', 'duration', 'note'], ...rows])
}

/** Prints the summary table; returns its text (the body of the run's last ping). */
export function printSummary(tools: Tools, results: StageResult[]): string {
  tools.log.heading('summary')
  const table = summaryTable(results)
  tools.log.write(table)
  return table
}
