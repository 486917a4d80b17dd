import type { PipelineConfig } from '../config.ts'
import type { DeployTarget, Release, StagePass } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'

const short = (commit: string) => commit.slice(0, 12)

/**
 * Why prod does not run from this checkout, if it does not: HEAD must be
 * main's commit as git knows it. `--branch` names the branch for display
 * only and cannot change this.
 */
export function prodSkip(config: Pick<PipelineConfig, 'head' | 'mainCommit' | 'branch'>) {
  if (config.mainCommit && config.head === config.mainCommit) {
    return undefined
  }
  const main = config.mainCommit ? `main is ${short(config.mainCommit)}` : 'no main branch here'
  return `only from main's commit (HEAD is ${short(config.head)} on ${config.branch}; ${main})`
}

/** Why the gate refuses this release, if it does: stage-test must have passed for it. */
export function gateRefusal(pass: StagePass | undefined, release: Release): string | undefined {
  const commit = short(release.commit)
  if (!pass) {
    return `no stage-test pass is recorded; run stage and stage-test for ${commit} first`
  }
  if (pass.commit !== release.commit) {
    return `stage-test last passed for ${short(pass.commit)}, not for ${commit}; run stage and stage-test for ${commit} first`
  }
  if (pass.image !== release.image) {
    return `stage-test passed for the image ${pass.image}, not ${release.image}`
  }
  return undefined
}

/**
 * prod: deploys this release only when stage-test passed for the same
 * commit and image, after saying what goes out. A dry run that has not
 * planned stage-test says what a real run would check instead of refusing.
 */
export async function prodDeploy(
  tools: Tools,
  target: DeployTarget,
  release: Release,
  subject: string
) {
  const pass = await target.lastStagePass(tools)
  const refusal = gateRefusal(pass, release)
  if (refusal && !(tools.plan && !pass)) {
    throw new Error(`refused: ${refusal}`)
  }
  if (refusal) {
    tools.log.line(
      `prod: (dry run) a real run refuses unless stage-test passed for ${release.commit}`
    )
  }
  tools.log.line(`prod: deploying ${release.image}`)
  tools.log.line(`prod: from commit ${release.commit} "${subject}"`)
  if (pass && !refusal) {
    tools.log.line(`prod: stage-test passed for it at ${pass.at}`)
  }
  await target.deploy(tools, 'prod', release)
}
