import type { PipelineConfig, SmokeTarget } from '../config.ts'
import { type SmokeOptions, smokeTest } from '../steps/smoke.ts'
import { awsClients, type AwsPort } from './aws_port.ts'
import { awsPlan } from './aws_plan.ts'
import { dockerEngine } from './docker_engine.ts'
import type { DockerPort } from './docker_port.ts'
import { dockerPlan } from './docker_plan.ts'
import { type Executor, planExecutor, realExecutor } from './executor.ts'
import type { Log } from './log.ts'
import { Plan } from './plan.ts'

/**
 * Everything a step acts on the world with. A real run gets the real ones; a
 * dry run gets recorders that print each command and API call instead.
 */
export interface Tools {
  $: Executor
  docker: DockerPort
  aws: AwsPort
  /** Runs the smoke test module against a running ngip. */
  smoke: (target: SmokeTarget, options?: SmokeOptions) => Promise<void>
  log: Log
  /** Set on a dry run: what would have been done, in order. */
  plan?: Plan
}

export function realTools(config: PipelineConfig, log: Log, overrides: Partial<Tools> = {}): Tools {
  return {
    $: realExecutor(log, { cwd: config.root, env: { ...process.env } }),
    docker: dockerEngine(log),
    aws: awsClients(config.aws, log.secrets),
    smoke: (target, options) => smokeTest(target, log, options),
    log,
    ...overrides,
  }
}

export function planTools(config: PipelineConfig, log: Log): Tools {
  const plan = new Plan(log)
  return {
    $: planExecutor(plan, { cwd: config.root, env: { ...process.env } }),
    docker: dockerPlan(plan),
    aws: awsPlan(plan, config.aws.region, config.push.registryHint),
    smoke: async (target, options) =>
      plan.record(
        `smoke web=${target.webUrl} ping=${target.pingUrl}${options?.keeper ? ` (${options.keeper} keeper)` : ''}`
      ),
    log,
    plan,
  }
}
