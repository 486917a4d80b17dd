/**
 * The build host's agent, started by ngip-agent.service as user ngip:
 * `node pipelines/agent/main.ts`. Plain Node 24 (no dependency), so that it
 * runs from any checkout. Settings: see AGENT_USAGE.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Agent } from './agent.ts'
import { alive } from '../lib/activity.ts'
import { AGENT_USAGE, agentConfig, type AgentConfig } from './config.ts'

/** One agent a state folder: a second one refuses to start, saying which one runs. */
function lock(config: AgentConfig): () => void {
  const dir = join(config.stateDir, 'agent')
  const path = join(dir, 'agent.pid')
  mkdirSync(dir, { recursive: true })
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' })
  } catch {
    const other = Number(readFileSync(path, 'utf8'))
    if (other !== process.pid && alive(other)) {
      throw new Error(`another agent (pid ${other}) already watches ${config.stateDir}`)
    }
    writeFileSync(path, String(process.pid))
  }
  return () => rmSync(path, { force: true })
}

async function main(): Promise<number> {
  let config: AgentConfig
  try {
    config = agentConfig(process.env)
  } catch (error) {
    console.error(`agent: ${(error as Error).message}\n${AGENT_USAGE}`)
    return 2
  }
  const unlock = lock(config)
  const agent = new Agent(config)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      console.log(`agent: ${signal}, stopping`)
      agent.stop()
    })
  }
  try {
    await agent.watch()
  } finally {
    unlock()
  }
  return 0
}

process.exitCode = await main().catch((error) => {
  console.error(`agent: ${(error as Error).message}`)
  return 1
})
