import type { ContainerState } from '../lib/docker_port.ts'
import type { StackService } from '../lib/stack.ts'
import type { Tools } from '../lib/tools.ts'
import type { StackConfig } from './stack_run.ts'

/** A stack being brought up: what was started, and what became ready. */
export interface Running {
  config: StackConfig
  containers: string[]
  networks: { internal: string; edge: string }
  /** What the one-shot setup printed: the API key the smoke test uses. */
  apiKey?: string
  /** Each service's readiness, awaited once however many services depend on it. */
  readiness: Map<string, Promise<void>>
}

/** Reads the credentials the setup container printed as JSON and masks them at once. */
async function readCredentials(tools: Tools, run: Running, name: string) {
  const output = await tools.docker.logs(name, 1000)
  const line = output.split('\n').find((text) => text.startsWith('{"email"'))
  const credentials = line ? (JSON.parse(line) as { apiKey: string; password: string }) : undefined
  tools.log.secrets.add(credentials?.apiKey, credentials?.password)
  run.apiKey = credentials?.apiKey ?? (tools.plan && '(dry run)')
}

async function waitFor(
  tools: Tools,
  name: string,
  timeoutMs: number,
  done: (s: ContainerState) => boolean
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const state = await tools.docker.inspect(name)
    if (done(state)) {
      return state
    }
    if (!state.running || state.health === 'unhealthy' || Date.now() > deadline) {
      const why = state.running
        ? `${state.health} after ${timeoutMs / 1000} s`
        : `exited with ${state.exitCode}`
      throw new Error(`container ${name} is not ready: ${why}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** Ready as compose's depends_on means it: healthy, running, or (one-shots) done with 0. */
export function ready(tools: Tools, run: Running, service: StackService): Promise<void> {
  if (!run.readiness.has(service.name)) {
    run.readiness.set(service.name, becomeReady(tools, run, service))
  }
  return run.readiness.get(service.name)!
}

async function becomeReady(tools: Tools, run: Running, service: StackService) {
  const name = `${run.config.name}-${service.name}`
  if (service.oneShot) {
    const code = await tools.docker.wait(name)
    if (code !== 0) {
      throw new Error(`container ${name} exited with ${code}`)
    }
    return readCredentials(tools, run, name)
  }
  const healthy = (state: ContainerState) =>
    service.healthcheck ? state.health === 'healthy' : state.running
  await waitFor(tools, name, run.config.timeoutMs, healthy)
}
