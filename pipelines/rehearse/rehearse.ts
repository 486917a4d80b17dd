import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent } from '../agent/agent.ts'
import type { PipelineConfig } from '../config.ts'
import { hostSettings, hostTarget } from '../host/target.ts'
import { envNames, HOST_LABEL } from '../host/names.ts'
import { startRegistry } from '../lib/local_registry.ts'
import { formatTable, seconds } from '../lib/log.ts'
import type { Tools } from '../lib/tools.ts'
import { Rehearsal } from './rehearsal.ts'
import { rehearsalSetting } from './setting.ts'
import { Workspace } from './workspace.ts'

/** The rehearsal's outcome, as printed and as written to NGIP_REHEARSAL_REPORT. */
export interface RehearsalReport {
  passed: boolean
  phases: Array<{ what: string; result: string; seconds: number; note: string }>
  figures: Record<string, number | string>
}

function printReport(tools: Tools, report: RehearsalReport) {
  tools.log.heading('rehearsal')
  const rows = report.phases.map((p) => [p.what, p.result, seconds(p.seconds * 1000), p.note])
  tools.log.write(formatTable([['phase', 'result', 'time', 'note'], ...rows]))
  tools.log.heading('measured')
  tools.log.write(formatTable(Object.entries(report.figures).map(([k, v]) => [k, String(v)])))
}

async function removeStacks(tools: Tools, project: string) {
  for (const env of ['stage', 'prod'] as const) {
    const names = envNames(project, env)
    await tools.docker.removeLabelled(`${HOST_LABEL}=${names.base}`).catch(() => 0)
    await tools.docker.removeVolumes(Object.values(names.volumes)).catch(() => {})
  }
}

/**
 * `pnpm pipeline rehearse`: the whole delivery loop on this machine. A local
 * bare repository stands in for the project's remote and a local registry
 * for ECR; the build host agent (the code the AWS host runs) picks up each
 * push and runs `pnpm pipeline all` with the host target on this engine.
 */
export async function rehearse(tools: Tools, config: PipelineConfig): Promise<boolean> {
  if (tools.plan) {
    tools.plan.record('rehearse: remote, registry, agent; 3 pushes; rollback; idle-check')
    return true
  }
  await tools.docker.ready()
  const dir = await mkdtemp(join(tmpdir(), 'ngip-rehearsal-'))
  const registry = await startRegistry()
  const setting = await rehearsalSetting(dir, registry, tools.log.secrets)
  const workspace = new Workspace(dir, tools.$)
  const agent = new Agent(
    {
      repo: workspace.remote,
      stateDir: setting.stateDir,
      workDir: join(dir, 'checkout'),
      command: 'pnpm pipeline all',
      intervalMs: 1000,
      mainBranch: 'main',
      env: setting.env,
    },
    (line) => tools.log.line(line)
  )
  const target = hostTarget(
    hostSettings(setting.env, { root: config.root, stateDir: setting.stateDir })
  )
  const rehearsal = new Rehearsal(tools, {
    workspace,
    agent,
    target,
    setting,
    checkout: join(dir, 'checkout'),
    config,
  })
  let report: RehearsalReport
  try {
    await workspace.create(tools.$, config.root)
    report = await rehearsal.play()
  } finally {
    agent.stop()
    registry.stop()
    await removeStacks(tools, setting.project)
    // The database the runs' unit suite made for itself.
    const database = setting.env.DB_DATABASE!
    await tools.$({
      nothrow: true,
    })`psql -h 127.0.0.1 -U postgres -c ${`DROP DATABASE IF EXISTS "${database}"`}`
    await rm(dir, { recursive: true, force: true }).catch(() => {})
  }
  printReport(tools, report)
  if (config.rehearsalReport) {
    await writeFile(config.rehearsalReport, `${JSON.stringify(report, null, 2)}\n`)
  }
  return report.passed
}
