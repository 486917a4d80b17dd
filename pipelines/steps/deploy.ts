import type { PipelineConfig } from '../config.ts'
import type { DeployTarget, Release } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'
import { appImageRef } from './image.ts'

/** The host target without a registry: docker-build makes the image on that engine, push has nothing to do. */
export function buildsOnEngine(config: PipelineConfig) {
  return config.target === 'host' && !config.push.registry
}

/**
 * This commit's release: its image in the registry, tagged with the short
 * commit id; or the image docker-build made on the host target's engine.
 */
export function releaseOf(config: PipelineConfig): Release {
  const { registryHint, repository } = config.push
  return {
    commit: config.head,
    tag: config.image.tag,
    image: buildsOnEngine(config)
      ? appImageRef({ root: config.root, ...config.image })
      : `${registryHint}/${repository}:${config.image.tag}`,
  }
}

/** Takes the stage stacks down again (cleanup --destroy-stage). */
export async function destroyStage(tools: Tools) {
  await tools.$`pnpm infra destroy --env stage --yes`
}

/**
 * stage-test: the same smoke test as docker-test, against the stage the
 * target describes; a pass is recorded for this release (prod's gate).
 */
export async function stageTest(tools: Tools, target: DeployTarget, release: Release) {
  const smoke = await target.smokeTarget(tools, 'stage')
  tools.log.secrets.add(smoke.apiKey)
  // Once stage passed before, its data must have survived this deploy.
  const earlier = await target.lastStagePass(tools)
  await tools.smoke(smoke, { keeper: earlier ? 'check' : 'make' })
  await target.recordStagePass(tools, release)
}

export interface CleanupConfig {
  destroyStage: boolean
  /** The image repository and the tag to keep (this commit's). */
  image: { name: string; tag: string }
}

/**
 * cleanup: this host's test containers and networks, older builds of the
 * image, dangling images; the stage stacks when asked.
 */
export async function cleanup(tools: Tools, label: string, config: CleanupConfig) {
  await tools.docker.ready()
  const removed = await tools.docker.removeLabelled(label)
  const old = await tools.docker.removeOldTags(config.image.name, config.image.tag)
  const images = await tools.docker.pruneDanglingImages()
  tools.log.line(
    `cleanup: ${removed} containers and networks, ${old} older builds, ${images} dangling images removed`
  )
  if (config.destroyStage) {
    await destroyStage(tools)
  }
}
