import type { SmokeTarget } from '../config.ts'
import type { DeployTarget, Environment, Release } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'
import { type Jobs, readJobs, runJob, type WaitOptions } from './one_off_task.ts'
import {
  PARAMETERS,
  readRelease,
  readStagePass,
  writeProdReleases,
  writeStagePass,
} from './records.ts'

/** Every ngip API key starts so; the jobs stack's placeholder does not. */
const API_KEY_PREFIX = 'ngip_'

export interface AwsTargetOptions extends Partial<WaitOptions> {
  /** NGIP_STAGE_* when set by hand: used instead of the stage stacks' outputs. */
  stageOverride?: SmokeTarget
}

const stackOf = (env: Environment, name: string) => `ngip-${env}-${name}`

async function infraDeploy(tools: Tools, env: Environment, tag: string, stack?: string) {
  if (stack) {
    await tools.$`pnpm infra deploy --env ${env} --image-tag ${tag} --yes ${stack}`
  } else {
    await tools.$`pnpm infra deploy --env ${env} --image-tag ${tag} --yes`
  }
}

/** The key secret still holds the stack's placeholder: this is the environment's first deploy. */
async function firstDeploy(tools: Tools, jobs: Jobs) {
  const key = await tools.aws.secretValue(jobs.apiKeySecret)
  tools.log.secrets.add(key)
  return !key.startsWith(API_KEY_PREFIX)
}

/**
 * ngip on AWS: the CDK stacks of `infra/`. A deploy first updates only the
 * jobs stack (one-off task definitions with the new image), migrates with
 * it, seeds the first admin and API key on the first deploy, and only then
 * rolls the services. Prod releases are recorded so rollback can go back one.
 */
export class AwsTarget implements DeployTarget {
  readonly name = 'aws'
  readonly #wait: WaitOptions
  readonly #stageOverride?: SmokeTarget

  constructor(options: AwsTargetOptions = {}) {
    this.#wait = { pollMs: options.pollMs ?? 5000, timeoutMs: options.timeoutMs ?? 30 * 60_000 }
    this.#stageOverride = options.stageOverride
  }

  async deploy(tools: Tools, env: Environment, release: Release) {
    const before = env === 'prod' ? await readRelease(tools, PARAMETERS.prodRelease) : undefined
    tools.log.line(`${env}: the jobs stack first, with the image ${release.image}`)
    await infraDeploy(tools, env, release.tag, stackOf(env, 'jobs'))
    const jobs = await readJobs(tools, stackOf(env, 'jobs'))
    await runJob(tools, jobs, 'migrate', this.#wait)
    if (await firstDeploy(tools, jobs)) {
      tools.log.line(
        tools.plan
          ? `${env}: setup runs when the API key secret holds no key yet (first deploy)`
          : `${env}: first deploy: seeding the first admin and the smoke tests' API key`
      )
      await runJob(tools, jobs, 'setup', this.#wait)
    }
    tools.log.line(`${env}: migrated; rolling the services to ${release.tag}`)
    await infraDeploy(tools, env, release.tag)
    if (env === 'prod') {
      await writeProdReleases(tools, release, before)
    }
  }

  async smokeTarget(tools: Tools, env: Environment): Promise<SmokeTarget> {
    if (env === 'stage' && this.#stageOverride) {
      tools.log.secrets.add(this.#stageOverride.apiKey)
      return this.#stageOverride
    }
    const { AppUrl } = await tools.aws.stackOutputs(stackOf(env, 'app'), ['AppUrl'])
    const { PingUrl } = await tools.aws.stackOutputs(stackOf(env, 'ping'), ['PingUrl'])
    const { ApiKeySecretArn } = await tools.aws.stackOutputs(stackOf(env, 'jobs'), [
      'ApiKeySecretArn',
    ])
    const apiKey = await tools.aws.secretValue(ApiKeySecretArn)
    tools.log.secrets.add(apiKey)
    if (!apiKey.startsWith(API_KEY_PREFIX) && !tools.plan) {
      throw new Error(`the API key secret of ${env} holds no key yet; deploy ${env} first`)
    }
    return { webUrl: AppUrl, pingUrl: PingUrl, apiKey }
  }

  async recordStagePass(tools: Tools, release: Release) {
    await writeStagePass(tools, release)
    tools.log.line(`stage-test: recorded the pass of ${release.commit} in ${PARAMETERS.stagePass}`)
  }

  lastStagePass(tools: Tools) {
    return readStagePass(tools)
  }

  /**
   * Prod goes back to the release before the current one: its image is
   * deployed to every stack again. No migration runs: by the expand, deploy,
   * contract rule the older image works on the newer schema.
   */
  async rollback(tools: Tools, env: Environment) {
    if (env !== 'prod') {
      throw new Error('rollback on AWS is for prod; fix stage by deploying again')
    }
    const previous = await readRelease(tools, PARAMETERS.prodPrevious)
    if (!previous) {
      throw new Error(`no previous prod release is recorded in ${PARAMETERS.prodPrevious}`)
    }
    const current = await readRelease(tools, PARAMETERS.prodRelease)
    tools.log.line(`rollback: prod goes back to ${previous.image} (commit ${previous.commit})`)
    await infraDeploy(tools, 'prod', previous.tag)
    await writeProdReleases(tools, previous, current)
  }
}
