import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { realTools } from '../../../pipelines/lib/tools.ts'
import { baseImageConfig } from '../../../pipelines/steps/docker.ts'
import { LOCAL_IMAGES, makeDebian } from '../../../pipelines/steps/local_images.ts'
import { capturedLog, pipelineConfig, root } from './pipeline.ts'

export const BOOTSTRAP = `${root}pipelines/build_host/bootstrap.sh`
const REPOSITORY = 'localhost/ngip-build-host-test'

/** Runs the docker CLI; throws with the end of its output when it fails. */
export function docker(args: string[], input?: string): string {
  const result = spawnSync('docker', args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.slice(-3000)
    throw new Error(`docker ${args.slice(0, 2).join(' ')} exited with ${result.status}:\n${output}`)
  }
  return result.stdout.trim()
}

/**
 * The fresh Debian 12 the bootstrap starts from, in a container: the local
 * Debian base image with the bootstrap's own package list (`bootstrap.sh
 * packages`) installed once, so that a test run of the bootstrap finds them
 * and skips apt. Tagged by the list and the base, rebuilt when either changes.
 */
export async function buildHostTestImage(): Promise<string> {
  const config = pipelineConfig(['docker-build'])
  const tools = realTools(config, capturedLog().log)
  await tools.docker.ready()
  if (!(await tools.docker.hasImage(LOCAL_IMAGES.debian))) {
    await makeDebian(tools, baseImageConfig(config))
  }
  const packages = spawnSync('bash', [BOOTSTRAP, 'packages'], { encoding: 'utf8' }).stdout.trim()
  const base = docker(['image', 'inspect', '--format', '{{.Id}}', LOCAL_IMAGES.debian])
  const tag = `${REPOSITORY}:${createHash('sha256').update(`${packages}\n${base}`).digest('hex').slice(0, 12)}`
  if (await tools.docker.hasImage(tag)) {
    return tag
  }
  for (const old of docker(['images', '--format', '{{.Repository}}:{{.Tag}}', REPOSITORY]).split(
    '\n'
  )) {
    if (old) {
      docker(['rmi', old])
    }
  }
  docker(
    ['build', '--quiet', '--tag', tag, '-'],
    `FROM ${LOCAL_IMAGES.debian}
RUN echo force-unsafe-io > /etc/dpkg/dpkg.cfg.d/unsafe-io \\
 && apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages} >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
`
  )
  return tag
}
