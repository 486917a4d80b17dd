import { AwsTarget } from './aws/aws_target.ts'
import { hostTarget } from './host/target.ts'
import type { PipelineConfig, StageName } from './config.ts'
import type { DeployTargetName } from './lib/settings.ts'
import type { DeployTarget } from './lib/target.ts'
import type { Tools } from './lib/tools.ts'
import { build, testSuite } from './steps/checks.ts'
import { buildsOnEngine, cleanup, releaseOf, stageTest } from './steps/deploy.ts'
import { appImage, dockerBuild, dockerTest, type RunState } from './steps/docker.ts'
import { pushImage } from './steps/push.ts'
import { prodDeploy, prodSkip } from './steps/prod_gate.ts'
import { STACK_LABEL } from './steps/stack_run.ts'

export interface Stage {
  name: StageName
  /** Why the stage does not run for this configuration, if it does not. */
  skip?: (config: PipelineConfig) => string | undefined
  run: (tools: Tools, config: PipelineConfig, state: RunState) => Promise<unknown>
}

/** Where `stage` and `prod` go, by config.target (NGIP_DEPLOY_TARGET). */
const TARGETS: Record<DeployTargetName, (config: PipelineConfig) => DeployTarget> = {
  aws: (config) => new AwsTarget({ stageOverride: config.stageTarget }),
  host: (config) => hostTarget(config.host!),
}

export function deployTarget(config: PipelineConfig): DeployTarget {
  return TARGETS[config.target](config)
}

/** The stages of the delivery pipeline, in the order `all` runs them. */
export const STAGE_LIST: Stage[] = [
  { name: 'build', run: (tools) => build(tools.$) },
  { name: 'test', run: (tools, config) => testSuite(tools.$, config.testArgs) },
  { name: 'docker-build', run: dockerBuild },
  { name: 'docker-test', run: dockerTest },
  {
    name: 'push',
    skip: (config) =>
      buildsOnEngine(config)
        ? 'the host target builds on its own engine (set NGIP_REGISTRY to push)'
        : undefined,
    run: async (tools, config, state) =>
      pushImage(tools, {
        image: await appImage(tools, config, state),
        repository: config.push.repository,
        tag: config.image.tag,
        registry: config.push.registry,
      }),
  },
  {
    name: 'stage',
    run: (tools, config) => deployTarget(config).deploy(tools, 'stage', releaseOf(config)),
  },
  {
    name: 'stage-test',
    run: (tools, config) => stageTest(tools, deployTarget(config), releaseOf(config)),
  },
  {
    name: 'prod',
    skip: prodSkip,
    run: (tools, config) =>
      prodDeploy(tools, deployTarget(config), releaseOf(config), config.subject),
  },
  { name: 'cleanup', run: (tools, config) => cleanup(tools, STACK_LABEL, config) },
]
