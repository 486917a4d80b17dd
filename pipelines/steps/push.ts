import type { Tools } from '../lib/tools.ts'

export interface PushConfig {
  /** The local image, e.g. ngip:<commit>. */
  image: string
  repository: string
  tag: string
}

/**
 * push: registry credentials from ECR's GetAuthorizationToken, then the image
 * tagged <registry>/<repository>:<commit> and pushed with dockerode. The
 * password goes straight to the mask list; it never reaches the log.
 */
export async function pushImage(tools: Tools, config: PushConfig) {
  const auth = await tools.aws.ecrAuthorization()
  const repo = `${auth.serveraddress}/${config.repository}`
  await tools.docker.tag(config.image, repo, config.tag)
  const digest = await tools.docker.push(repo, config.tag, auth)
  tools.log.line(`push: ${repo}:${config.tag} ${digest}`)
  return { repo, digest }
}
