import { createReadStream } from 'node:fs'
import Docker from 'dockerode'
import type { BuildRequest, ContainerRequest, DockerPort, RegistryAuth } from './docker_port.ts'
import { followProgress } from './docker_progress.ts'
import { ensureDockerEngine } from './dockerd.ts'
import { containerOps } from './docker_containers.ts'
import { isNotFound, lifecycleOps } from './docker_lifecycle.ts'
import type { Log } from './log.ts'

/**
 * DockerPort on a real engine through dockerode (DOCKER_HOST or the local
 * socket). Build output is streamed to the log. A remote engine (`local:
 * false`) is only asked to answer, never started here.
 */
export function dockerEngine(log: Log, docker = new Docker(), { local = true } = {}): DockerPort {
  return {
    async ready() {
      if (local) {
        await ensureDockerEngine((line) => log.line(line))
      }
      await docker.ping()
    },
    async hasImage(ref) {
      return docker
        .getImage(ref)
        .inspect()
        .then(
          () => true,
          (error) => (isNotFound(error) ? false : Promise.reject(error))
        )
    },
    async pull(ref, authconfig) {
      try {
        await followProgress(docker, await docker.pull(ref, authconfig ? { authconfig } : {}))
        return true
      } catch (error) {
        log.line(`docker: cannot pull ${ref}: ${(error as Error).message.split('\n')[0]}`)
        return false
      }
    },
    async build(request: BuildRequest) {
      const stream = await docker.buildImage(await request.context(), {
        t: request.tag,
        dockerfile: request.dockerfile,
        buildargs: request.buildargs,
        labels: request.labels,
        rm: true,
        forcerm: true,
      })
      await followProgress(docker, stream, (event) => event.stream && log.write(event.stream))
    },
    async importImage(tarPath, ref) {
      const [repo, tag] = splitRef(ref)
      const stream = await docker.importImage(createReadStream(tarPath), { repo, tag })
      await followProgress(docker, stream)
    },
    async tag(ref, repo, tag) {
      await docker.getImage(ref).tag({ repo, tag })
    },
    async push(repo: string, tag: string, authconfig: RegistryAuth) {
      // The repository without the tag: engines differ on `repo:tag` here.
      const stream = await docker.getImage(repo).push({ tag, authconfig })
      const events = await followProgress(docker, stream)
      return events.find((event) => event.aux?.Digest)?.aux?.Digest ?? ''
    },
    ...containerOps(docker),
    ...lifecycleOps(docker),
  } satisfies DockerPort
}

/** `repo:tag` → [repo, tag]; a port in the registry host is not a tag. */
export function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':')
  if (at <= ref.lastIndexOf('/')) {
    return [ref, 'latest']
  }
  return [ref.slice(0, at), ref.slice(at + 1)]
}

export type { ContainerRequest }
