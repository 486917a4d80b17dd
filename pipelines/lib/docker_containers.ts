import type Docker from 'dockerode'
import { containerOptions, demuxLogs, ignoreMissing, stateOf } from './docker_lifecycle.ts'
import type { DockerPort } from './docker_port.ts'

export { demuxLogs }

type ContainerOps = Pick<
  DockerPort,
  | 'createNetwork'
  | 'run'
  | 'inspect'
  | 'wait'
  | 'logs'
  | 'remove'
  | 'removeLabelled'
  | 'pruneDanglingImages'
  | 'removeOldTags'
>

/** The container and network half of the dockerode DockerPort. */
export function containerOps(docker: Docker): ContainerOps {
  return {
    async createNetwork(name, internal, labels) {
      await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        Internal: internal,
        Labels: labels,
      })
    },
    async run(request) {
      const container = await docker.createContainer(containerOptions(request))
      for (const network of request.extraNetworks ?? []) {
        await docker
          .getNetwork(network)
          .connect({ Container: container.id, EndpointConfig: { Aliases: [request.alias] } })
      }
      await container.start()
    },
    async inspect(name) {
      return stateOf(await docker.getContainer(name).inspect())
    },
    async wait(name) {
      const result = await docker.getContainer(name).wait()
      return result.StatusCode as number
    },
    async logs(name, tail = 200) {
      const buffer = await docker.getContainer(name).logs({ stdout: true, stderr: true, tail })
      return demuxLogs(buffer as unknown as Buffer)
    },
    async remove(names, networks) {
      for (const name of names) {
        await docker.getContainer(name).remove({ force: true, v: true }).catch(ignoreMissing)
      }
      for (const network of networks) {
        await docker.getNetwork(network).remove().catch(ignoreMissing)
      }
    },
    async removeLabelled(label) {
      const containers = await docker.listContainers({ all: true, filters: { label: [label] } })
      const networks = await docker.listNetworks({ filters: { label: [label] } })
      await this.remove(
        containers.map((container) => container.Id),
        networks.map((network) => network.Id)
      )
      return containers.length + networks.length
    },
    async removeOldTags(repo, keep) {
      const images = await docker.listImages({ filters: { reference: [repo] } })
      const old = images
        .flatMap((image) => image.RepoTags ?? [])
        .filter((ref) => ref.startsWith(`${repo}:`) && ref !== `${repo}:${keep}`)
      for (const ref of old) {
        await docker.getImage(ref).remove().catch(ignoreMissing)
      }
      return old.length
    },
    async pruneDanglingImages() {
      // A day's worth stays: the build stage's layers are the cache of the next build.
      const result = await docker.pruneImages({ filters: { dangling: ['true'], until: ['24h'] } })
      return result.ImagesDeleted?.length ?? 0
    },
  }
}
