import { randomBytes } from 'node:crypto'
import type { SmokeTarget } from '../config.ts'
import { type StackService, stackServices } from '../lib/stack.ts'
import type { Tools } from '../lib/tools.ts'
import { ready, type Running } from './stack_wait.ts'

export interface StackConfig {
  /** Prefix of every container and network name of this run. */
  name: string
  images: Record<StackService['image'], string>
  timeoutMs: number
}

export const STACK_LABEL = 'ngip.pipeline'

async function start(tools: Tools, run: Running, service: StackService) {
  const name = `${run.config.name}-${service.name}`
  const published = Boolean(service.publish?.length)
  run.containers.push(name)
  await tools.docker.run({
    name,
    image: run.config.images[service.image],
    command: service.command,
    env: service.env,
    network: published ? run.networks.edge : run.networks.internal,
    extraNetworks: published ? [run.networks.internal] : [],
    alias: service.name,
    publish: service.publish,
    labels: { [STACK_LABEL]: run.config.name },
    healthcheck: service.healthcheck,
  })
}

/**
 * Brings the stack up on its own networks (the data services on an internal
 * one; web and ping also on one that publishes to 127.0.0.1), service by
 * service in dependency order, and returns a handle to use and tear it down.
 */
export async function upStack(tools: Tools, config: StackConfig) {
  const secrets = {
    dbPassword: randomBytes(18).toString('base64url'),
    appKey: randomBytes(32).toString('base64url'),
  }
  tools.log.secrets.add(secrets.dbPassword, secrets.appKey)
  const networks = { internal: `${config.name}-internal`, edge: `${config.name}-edge` }
  const run: Running = { config, containers: [], networks, readiness: new Map() }
  const services = stackServices(secrets)
  const labels = { [STACK_LABEL]: config.name }
  const down = () => tools.docker.remove(run.containers, Object.values(networks))
  try {
    await tools.docker.createNetwork(networks.internal, true, labels)
    await tools.docker.createNetwork(networks.edge, false, labels)
    for (const service of services) {
      for (const dependency of service.after) {
        await ready(
          tools,
          run,
          services.find((s) => s.name === dependency)!
        )
      }
      await start(tools, run, service)
    }
    for (const service of services.filter((s) => !s.oneShot)) {
      await ready(tools, run, service)
    }
  } catch (error) {
    await showLogs(tools, run.containers).finally(down)
    throw error
  }
  return { containers: run.containers, down, target: () => stackTarget(tools, run) }
}

export async function showLogs(tools: Tools, containers: string[]) {
  for (const name of containers) {
    const text = await tools.docker.logs(name, 40).catch((error) => `(no logs: ${error.message})`)
    tools.log.line(`--- logs of ${name} (last 40 lines)`)
    tools.log.write(text.endsWith('\n') || text === '' ? text : `${text}\n`)
  }
}

/** The URLs and API key of a stack that is up. */
async function stackTarget(tools: Tools, run: Running): Promise<SmokeTarget> {
  if (!run.apiKey) {
    throw new Error('the setup container printed no credentials')
  }
  const web = await tools.docker.inspect(`${run.config.name}-web`)
  const ping = await tools.docker.inspect(`${run.config.name}-ping`)
  return {
    webUrl: `http://127.0.0.1:${web.ports[3333]}`,
    pingUrl: `http://127.0.0.1:${ping.ports[3334]}`,
    apiKey: run.apiKey,
  }
}
