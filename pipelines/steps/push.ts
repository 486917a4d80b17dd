import type { PipelineConfig } from '../config.ts'
import type { RegistryAuth } from '../lib/docker_port.ts'
import type { Tools } from '../lib/tools.ts'

export interface PushConfig {
  /** The local image, e.g. ngip:<commit>. */
  image: string
  repository: string
  tag: string
  /** A registry of one's own (NGIP_REGISTRY); ECR when unset. */
  registry?: PipelineConfig['push']['registry']
}

/** Credentials for the registry: one's own as configured, or ECR's GetAuthorizationToken. */
async function registryAuth(tools: Tools, config: PushConfig): Promise<RegistryAuth> {
  if (!config.registry) {
    return tools.aws.ecrAuthorization()
  }
  const { host, username = '', password = '' } = config.registry
  tools.log.secrets.add(password)
  return { username, password, serveraddress: host }
}

/**
 * push: the image tagged <registry>/<repository>:<commit> and pushed with
 * dockerode, to ECR (credentials from GetAuthorizationToken) or to the
 * registry NGIP_REGISTRY names. The password goes straight to the mask list;
 * it never reaches the log.
 */
export async function pushImage(tools: Tools, config: PushConfig) {
  const auth = await registryAuth(tools, config)
  const repo = `${auth.serveraddress}/${config.repository}`
  await tools.docker.tag(config.image, repo, config.tag)
  const digest = await tools.docker.push(repo, config.tag, auth)
  tools.log.line(`push: ${repo}:${config.tag} ${digest}`)
  return { repo, digest }
}
