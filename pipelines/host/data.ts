import { type StackSecrets, type StackService, stackServices } from '../lib/stack.ts'
import { REGISTRY_IMAGES } from '../steps/base_images.ts'
import { LOCAL_IMAGES } from '../steps/local_images.ts'
import type { Running } from '../steps/stack_wait.ts'
import { ready } from '../steps/stack_wait.ts'
import type { HostRun } from './run.ts'

/**
 * An image the engine has or can pull: the registry's, else one made on this
 * machine (`pnpm pipeline docker-build --base-images local`).
 */
export async function engineImage(run: HostRun, candidates: string[]): Promise<string> {
  const { docker } = run.tools
  for (const ref of candidates) {
    if (await docker.hasImage(ref)) {
      return ref
    }
  }
  if (await docker.pull(candidates[0])) {
    return candidates[0]
  }
  throw new Error(`the engine has none of ${candidates.join(', ')} and cannot pull them`)
}

/** The release image: on the engine already, or pulled from its registry. */
export async function releaseImage(run: HostRun, ref: string) {
  const { docker } = run.tools
  const login = run.settings.registryLogin
  const auth = login && { ...login, serveraddress: ref.split('/')[0] }
  if ((await docker.hasImage(ref)) || (await docker.pull(ref, auth))) {
    return
  }
  throw new Error(`the image ${ref} is not on the engine and cannot be pulled (push it first)`)
}

/** A handle for stack_wait's readiness checks on this environment's containers. */
export function running(run: HostRun, name: string, images: Running['config']['images']): Running {
  const network = run.names.network
  return {
    config: { name, images, timeoutMs: run.settings.readyS * 1000 },
    containers: [],
    networks: { internal: network, edge: network },
    readiness: new Map(),
  }
}

export function health(run: HostRun) {
  return { intervalS: run.settings.healthIntervalS, startPeriodS: 120, retries: 3 }
}

/** Where each data service keeps its data: its volume and the path it is mounted at. */
function dataOf(run: HostRun, service: 'postgres' | 'redis') {
  const { volumes } = run.names
  return service === 'redis'
    ? { volume: volumes.redisdata, path: '/data' }
    : { volume: volumes.pgdata, path: '/var/lib/postgresql/data' }
}

const DATA_IMAGES = {
  postgres: [REGISTRY_IMAGES.postgres, LOCAL_IMAGES.postgres],
  redis: [REGISTRY_IMAGES.redis, LOCAL_IMAGES.redis],
}

async function ensureService(run: HostRun, service: StackService & { name: 'postgres' | 'redis' }) {
  const { docker } = run.tools
  const name = run.names[service.name]
  const state = await docker.find(name)
  if (state?.running) {
    return
  }
  if (state) {
    run.say(`starting ${name} again`)
    return docker.start(name)
  }
  // The image is looked for only when the container is made (the first deploy).
  const image = await engineImage(run, DATA_IMAGES[service.name])
  const { volume, path } = dataOf(run, service.name)
  run.say(`starting ${name} (data in the volume ${volume})`)
  await docker.run({
    name,
    image,
    command: service.command,
    env: service.env,
    network: run.names.network,
    alias: service.name,
    labels: run.labels,
    healthcheck: service.healthcheck,
    health: health(run),
    mounts: { [volume]: path },
    restart: true,
  })
}

/**
 * The environment's network, volumes, PostgreSQL and Redis: made by the first
 * deploy, then left as they are (both colours share them).
 */
export async function ensureData(run: HostRun, secrets: StackSecrets) {
  const { docker } = run.tools
  const { names } = run
  if (await docker.ensureNetwork(names.network, run.labels)) {
    run.say(`made the network ${names.network}`)
  }
  for (const volume of Object.values(names.volumes)) {
    await docker.ensureVolume(volume, run.labels)
  }
  const handle = running(run, names.base, { app: '', postgres: '', redis: '' })
  const services = stackServices(secrets).filter(
    (s): s is StackService & { name: 'postgres' | 'redis' } =>
      s.name === 'postgres' || s.name === 'redis'
  )
  for (const service of services) {
    await ensureService(run, service)
  }
  for (const service of services) {
    await ready(run.tools, handle, service)
  }
}
