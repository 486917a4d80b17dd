import type { SmokeTarget } from '../config.ts'
import type { Tools } from '../lib/tools.ts'

export type Environment = 'stage' | 'prod'

/**
 * stage / prod: the CDK stacks of one environment with this commit's image,
 * through the infra command (`pnpm infra`), which owns the stacks.
 */
export async function deploy(tools: Tools, env: Environment, imageTag: string) {
  await tools.$`pnpm infra deploy --env ${env} --image-tag ${imageTag} --yes`
}

/** Takes the stage stacks down again (cleanup --destroy-stage). */
export async function destroyStage(tools: Tools) {
  await tools.$`pnpm infra destroy --env stage --yes`
}

/** stage-test: the same smoke test as docker-test, against the stage URLs. */
export async function stageTest(tools: Tools, target: SmokeTarget | undefined) {
  if (!target) {
    if (!tools.plan) {
      throw new Error(
        'set NGIP_STAGE_WEB_URL, NGIP_STAGE_PING_URL and NGIP_STAGE_API_KEY to test the stage'
      )
    }
    target = { webUrl: '$NGIP_STAGE_WEB_URL', pingUrl: '$NGIP_STAGE_PING_URL', apiKey: '' }
  }
  tools.log.secrets.add(target.apiKey)
  await tools.smoke(target)
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
