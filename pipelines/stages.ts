import type { PipelineConfig, StageName } from './config.ts'
import type { Tools } from './lib/tools.ts'
import { build, testSuite } from './steps/checks.ts'
import { cleanup, deploy, stageTest } from './steps/deploy.ts'
import { appImage, dockerBuild, dockerTest, type RunState } from './steps/docker.ts'
import { pushImage } from './steps/push.ts'
import { STACK_LABEL } from './steps/stack_run.ts'
import { upload } from './steps/upload.ts'

export interface Stage {
  name: StageName
  /** Why the stage does not run for this configuration, if it does not. */
  skip?: (config: PipelineConfig) => string | undefined
  run: (tools: Tools, config: PipelineConfig, state: RunState) => Promise<unknown>
}

/** The stages of the delivery pipeline, in the order `all` runs them. */
export const STAGE_LIST: Stage[] = [
  { name: 'build', run: (tools) => build(tools.$) },
  { name: 'test', run: (tools) => testSuite(tools.$) },
  { name: 'docker-build', run: dockerBuild },
  { name: 'docker-test', run: dockerTest },
  {
    name: 'push',
    run: async (tools, config, state) =>
      pushImage(tools, {
        image: await appImage(tools, config, state),
        repository: config.push.repository,
        tag: config.image.tag,
      }),
  },
  {
    name: 'upload',
    run: (tools, config) =>
      upload(tools, {
        root: config.root,
        tag: config.commit,
        ...config.upload,
        outDir: `${config.image.workDir}/lambda`,
      }),
  },
  { name: 'stage', run: (tools, config) => deploy(tools, 'stage', config.image.tag) },
  { name: 'stage-test', run: (tools, config) => stageTest(tools, config.stageTarget) },
  {
    name: 'prod',
    skip: (config) =>
      config.branch === 'main' ? undefined : `only from main (this is ${config.branch})`,
    run: (tools, config) => deploy(tools, 'prod', config.image.tag),
  },
  { name: 'cleanup', run: (tools, config) => cleanup(tools, STACK_LABEL, config) },
]
