import type { Environment } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'
import { engineTools } from './engine.ts'
import { envNames, type EnvNames, HOST_LABEL } from './names.ts'
import type { HostSettings } from './settings.ts'

/** One deploy or rollback of one environment on the engine. */
export interface HostRun {
  /** The pipeline's tools with the target engine's Docker port. */
  tools: Tools
  settings: HostSettings
  env: Environment
  names: EnvNames
  /** Carried by everything this environment has on the engine. */
  labels: Record<string, string>
  say: (line: string) => void
}

export async function openRun(
  tools: Tools,
  settings: HostSettings,
  env: Environment
): Promise<HostRun> {
  const names = envNames(settings.project, env)
  const run: HostRun = {
    tools: engineTools(tools, settings),
    settings,
    env,
    names,
    labels: { [HOST_LABEL]: names.base },
    say: (line) => tools.log.line(`host: ${line}`),
  }
  await run.tools.docker.ready()
  return run
}

export function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
