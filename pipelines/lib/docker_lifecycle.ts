import type Docker from 'dockerode'
import type { ContainerRequest, ContainerState, DockerPort, ExecResult } from './docker_port.ts'

type LifecycleOps = Pick<
  DockerPort,
  | 'find'
  | 'claim'
  | 'start'
  | 'stop'
  | 'exec'
  | 'ensureNetwork'
  | 'networkSubnets'
  | 'ensureVolume'
  | 'removeVolumes'
>

/** Splits the engine's multiplexed log stream (8-byte frame headers) into text. */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = []
  let offset = 0
  while (
    offset + 8 <= buffer.length &&
    buffer[offset] <= 2 &&
    buffer.readUInt16BE(offset + 1) === 0
  ) {
    const size = buffer.readUInt32BE(offset + 4)
    parts.push(buffer.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  return offset === 0 ? buffer.toString() : Buffer.concat(parts).toString()
}

/** 404 (no such thing) and 409 (already gone, or going) are what a cleanup expects. */
export function ignoreMissing(error: unknown) {
  if (![304, 404, 409].includes((error as { statusCode?: number }).statusCode ?? 0)) {
    throw error
  }
}

/** The engine's answer for a missing image, container or network. */
export function isNotFound(error: unknown) {
  return (error as { statusCode?: number }).statusCode === 404
}

function healthcheck(request: ContainerRequest): Docker.ContainerCreateOptions['Healthcheck'] {
  if (request.healthcheck === 'none') {
    return { Test: ['NONE'] }
  }
  const health = request.health ?? { intervalS: 1, startPeriodS: 0, retries: 60 }
  return (
    request.healthcheck && {
      Test: ['CMD', ...request.healthcheck],
      Interval: health.intervalS * 1e9,
      Timeout: 5e9,
      StartPeriod: health.startPeriodS * 1e9,
      Retries: health.retries,
    }
  )
}

/** The engine's create options for a ContainerRequest. */
export function containerOptions(request: ContainerRequest): Docker.ContainerCreateOptions {
  const publish = request.publish ?? []
  const fixed = Object.entries(request.hostPorts ?? {})
  const HostIp = request.bind ?? '127.0.0.1'
  const bindings = [
    ...publish.map((port) => [`${port}/tcp`, [{ HostIp, HostPort: '' }]]),
    ...fixed.map(([port, host]) => [`${port}/tcp`, [{ HostIp, HostPort: String(host) }]]),
  ]
  return {
    name: request.name,
    Image: request.image,
    Cmd: request.command,
    Env: Object.entries(request.env).map(([key, value]) => `${key}=${value}`),
    Labels: request.labels,
    ExposedPorts: Object.fromEntries(bindings.map(([key]) => [key, {}])),
    Healthcheck: healthcheck(request),
    HostConfig: {
      Init: true,
      NetworkMode: request.network,
      PortBindings: Object.fromEntries(bindings),
      Binds: Object.entries(request.mounts ?? {}).map(([volume, path]) => `${volume}:${path}`),
      RestartPolicy: request.restart ? { Name: 'unless-stopped' } : undefined,
    },
    NetworkingConfig: { EndpointsConfig: { [request.network]: { Aliases: [request.alias] } } },
  }
}

/** What inspect reports, in the port's terms. */
export function stateOf(info: Docker.ContainerInspectInfo): ContainerState {
  const ports: Record<number, number> = {}
  for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
    if (bindings?.[0]) {
      ports[Number.parseInt(key)] = Number(bindings[0].HostPort)
    }
  }
  const health = info.State.Health?.Status ?? 'none'
  const labels = info.Config.Labels ?? {}
  return { running: info.State.Running, exitCode: info.State.ExitCode, health, ports, labels }
}

/** Collects an exec's multiplexed output until it ends. */
async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk as Buffer))
  }
  return Buffer.concat(chunks)
}

/** Containers started, stopped, claimed and exec'd into; networks and volumes made once. */
export function lifecycleOps(docker: Docker): LifecycleOps {
  return {
    async find(name) {
      return docker
        .getContainer(name)
        .inspect()
        .then(stateOf, (error) => (isNotFound(error) ? undefined : Promise.reject(error)))
    },
    async claim({ name, image, labels }) {
      try {
        await docker.createContainer({
          name,
          Image: image,
          Labels: labels,
          HostConfig: { NetworkMode: 'none' },
        })
        return true
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 409) {
          return false
        }
        throw error
      }
    },
    async start(name) {
      await docker.getContainer(name).start().catch(ignoreMissing)
    },
    async stop(names) {
      for (const name of names) {
        await docker.getContainer(name).stop({ t: 10 }).catch(ignoreMissing)
      }
    },
    async exec(name, command): Promise<ExecResult> {
      const exec = await docker
        .getContainer(name)
        .exec({ Cmd: command, AttachStdout: true, AttachStderr: true })
      const output = demuxLogs(await collect(await exec.start({ hijack: true, stdin: false })))
      const { ExitCode } = await exec.inspect()
      return { exitCode: ExitCode ?? -1, output }
    },
    async ensureNetwork(name, labels) {
      const found = await docker.listNetworks({ filters: { name: [name] } })
      if (found.some((network) => network.Name === name)) {
        return false
      }
      await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels })
      return true
    },
    async networkSubnets(name) {
      const { IPAM } = await docker.getNetwork(name).inspect()
      const configs = (IPAM?.Config ?? []) as { Subnet?: string }[]
      return configs.map((config) => config.Subnet).filter((subnet) => subnet !== undefined)
    },
    async ensureVolume(name, labels) {
      await docker.createVolume({ Name: name, Labels: labels })
    },
    async removeVolumes(names) {
      for (const name of names) {
        await docker.getVolume(name).remove().catch(ignoreMissing)
      }
    },
  }
}
