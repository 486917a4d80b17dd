/**
 * `pnpm pipeline <stage> [--dry-run] [--branch B]`: the delivery pipeline
 * that replaces the Jenkinsfile. Parses its arguments once, then runs one
 * stage, every stage (`all`) or the build host's `idle-check`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseConfig, type PipelineConfig, USAGE } from './config.ts'
import { Activity } from './lib/activity.ts'
import { readFacts } from './lib/facts.ts'
import { Log } from './lib/log.ts'
import { printSummary, runStages } from './lib/runner.ts'
import { Secrets } from './lib/secrets.ts'
import { planTools, realTools, type Tools } from './lib/tools.ts'
import { STAGE_LIST } from './stages.ts'
import { idleCheck } from './steps/idle_check.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

async function pipeline(tools: Tools, config: PipelineConfig): Promise<boolean> {
  const all = config.command === 'all'
  const stages = all ? STAGE_LIST : STAGE_LIST.filter((stage) => stage.name === config.command)
  tools.log.line(
    `pipeline: ${config.command} on ${config.branch} at ${config.commit}${config.dryRun ? ' (dry run)' : ''}`
  )
  const results = await runStages(tools, config, stages)
  if (all) {
    printSummary(tools, results)
  }
  return results.every((result) => result.result !== 'failed')
}

async function idle(tools: Tools, config: PipelineConfig): Promise<boolean> {
  const uptime = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0])
  const activity = new Activity(config.idle.stateDir)
  await idleCheck(tools, config.idle, { activity, clock: Date.now, uptime })
  return true
}

async function main(): Promise<number> {
  const log = new Log(new Secrets())
  let config: PipelineConfig
  try {
    config = parseConfig(process.argv.slice(2), process.env, readFacts(root, process.env))
  } catch (error) {
    log.line(`pipeline: ${(error as Error).message}\n${USAGE}`)
    return 2
  }
  const tools = config.dryRun ? planTools(config, log) : realTools(config, log)
  if (config.command === 'idle-check') {
    return (await idle(tools, config)) ? 0 : 1
  }
  const end = config.dryRun ? () => {} : new Activity(config.idle.stateDir).begin()
  try {
    return (await pipeline(tools, config)) ? 0 : 1
  } finally {
    end()
  }
}

process.exitCode = await main().catch((error) => {
  console.error(`pipeline: ${(error as Error).message}`)
  return 1
})
