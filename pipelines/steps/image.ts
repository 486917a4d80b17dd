import { readFile } from 'node:fs/promises'
import { packContext } from '../lib/build_context.ts'
import type { Tools } from '../lib/tools.ts'

export interface AppImageConfig {
  root: string
  name: string
  tag: string
  /** PEM file of extra CAs the build trusts (NODE_EXTRA_CA_CERTS of this machine). */
  buildCa?: string
}

const DOCKERFILE = 'docker/Dockerfile'

export function appImageRef(config: AppImageConfig) {
  return `${config.name}:${config.tag}`
}

/**
 * Builds the one ngip image from docker/Dockerfile on the given Node base,
 * the context streamed as a tar that honours .dockerignore.
 */
export async function buildAppImage(tools: Tools, config: AppImageConfig, nodeImage: string) {
  const ref = appImageRef(config)
  const context = async () => {
    const replace: Record<string, Buffer> = {}
    if (config.buildCa) {
      replace['docker/build-ca.pem'] = await readFile(config.buildCa)
    }
    return packContext(config.root, { dockerignore: true, replace, always: [DOCKERFILE] })
  }
  await tools.docker.build({
    context,
    contextLabel: '. (as .dockerignore allows)',
    tag: ref,
    dockerfile: DOCKERFILE,
    buildargs: { BASE_IMAGE: nodeImage },
    labels: { 'org.opencontainers.image.revision': config.tag },
  })
  tools.log.line(`docker-build: ${ref} on ${nodeImage}`)
  return ref
}
