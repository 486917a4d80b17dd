/**
 * `pnpm pipeline <stage>` (pnpm 12 runs the task `pipeline:<stage>`, which is
 * this file with the stage as its argument; `pnpm run pipeline <stage>
 * [--dry-run] [--branch B]` reaches it directly): the delivery pipeline that
 * replaces the Jenkinsfile. Parses its arguments once, then runs one stage,
 * every stage (`all`), prod's `rollback`, the whole loop on this machine
 * (`rehearse`) or the build host's `idle-check`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseConfig, type PipelineConfig, USAGE } from './config.ts'
import { Activity } from './lib/activity.ts'
import { readFacts } from './lib/facts.ts'
import { Log } from './lib/log.ts'
import { printSummary, runStages, summaryTable } from './lib/runner.ts'
import { SelfPing } from './lib/self_ping.ts'
import { Secrets } from './lib/secrets.ts'
import { planTools, realTools, type Tools } from './lib/tools.ts'
import { seconds } from './lib/log.ts'
import { rehearse } from './rehearse/rehearse.ts'
import { deployTarget, STAGE_LIST } from './stages.ts'
import { idleCheck } from './steps/idle_check.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

async function pipeline(tools: Tools, config: PipelineConfig): Promise<boolean> {
  const all = config.command === 'all'
  const stages = all ? STAGE_LIST : STAGE_LIST.filter((stage) => stage.name === config.command)
  tools.log.line(
    `pipeline: ${config.command} on ${config.branch} at ${config.commit}${config.dryRun ? ' (dry run)' : ''}`
  )
  const ping = new SelfPing(config.selfPingUrl, tools.log, tools.plan)
  await ping.start()
  const results = await runStages(tools, config, stages)
  const table = all ? printSummary(tools, results) : summaryTable(results)
  const passed = results.every((result) => result.result !== 'failed')
  await ping.end(passed ? 0 : 1, table)
  return passed
}

/** rollback: prod back to the release before the last switch (the previous colour). */
async function rollback(tools: Tools, config: PipelineConfig): Promise<boolean> {
  const started = Date.now()
  tools.log.heading(`rollback of prod (${config.target})`)
  try {
    await deployTarget(config).rollback(tools, 'prod')
  } catch (error) {
    tools.log.line(`pipeline: rollback failed: ${(error as Error).message.split('\n')[0]}`)
    return false
  }
  tools.log.line(`rollback passed in ${seconds(Date.now() - started)}`)
  return true
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
  if (config.command === 'rehearse') {
    return (await rehearse(tools, config)) ? 0 : 1
  }
  const end = config.dryRun ? () => {} : new Activity(config.idle.stateDir).begin()
  try {
    const run = config.command === 'rollback' ? rollback : pipeline
    return (await run(tools, config)) ? 0 : 1
  } finally {
    end()
  }
}

process.exitCode = await main().catch((error) => {
  console.error(`pipeline: ${(error as Error).message}`)
  return 1
})
