import { join } from 'node:path'
import { STATE_DIR } from '../lib/activity.ts'

export interface AgentConfig {
  /** The git remote to watch: a URL or a path, anything `git ls-remote` takes. */
  repo: string
  /** The build host's state folder: activity marks, the run records and logs. */
  stateDir: string
  /** The agent's own checkout, where each run happens. */
  workDir: string
  /** What a run runs, with `sh -c`, in the checkout of the commit. */
  command: string
  intervalMs: number
  /** The branch whose commits may go to prod. */
  mainBranch: string
  /** The environment of each run (BRANCH_NAME is added). */
  env: NodeJS.ProcessEnv
}

/** Every stage runs, also on main's commit: pnpm-workspace.yaml's pipelineBase sees to it. */
export const DEFAULT_COMMAND = 'pnpm pipeline all'

export const AGENT_USAGE = `ngip build host agent: runs the pipeline for each new commit of the remote.
  NGIP_AGENT_REPO       the git remote to watch (required)
  NGIP_AGENT_COMMAND    what a run runs (default: ${DEFAULT_COMMAND})
  NGIP_AGENT_INTERVAL   seconds between polls (default: 10)
  NGIP_AGENT_WORKDIR    its checkout (default: <state dir>/checkout)
  NGIP_PIPELINE_STATE_DIR  the state folder (default: ${STATE_DIR})`

/** The agent's settings, from its systemd unit's environment. Throws one line on bad input. */
export function agentConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const repo = env.NGIP_AGENT_REPO
  if (!repo) {
    throw new Error('NGIP_AGENT_REPO is not set: which git remote should the agent watch?')
  }
  const seconds = Number(env.NGIP_AGENT_INTERVAL || '10')
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(
      `NGIP_AGENT_INTERVAL must be a number of seconds, got "${env.NGIP_AGENT_INTERVAL}"`
    )
  }
  const stateDir = env.NGIP_PIPELINE_STATE_DIR || STATE_DIR
  return {
    repo,
    stateDir,
    workDir: env.NGIP_AGENT_WORKDIR || join(stateDir, 'checkout'),
    command: env.NGIP_AGENT_COMMAND || DEFAULT_COMMAND,
    intervalMs: seconds * 1000,
    mainBranch: 'main',
    env: { ...env, NGIP_PIPELINE_STATE_DIR: stateDir },
  }
}
