import type { SmokeTarget } from '../config.ts'
import { seconds } from '../lib/log.ts'
import { type StackSecrets, stackServices } from '../lib/stack.ts'
import { showLogs } from '../steps/stack_run.ts'
import { ready } from '../steps/stack_wait.ts'
import { health, running } from './data.ts'
import { reach } from './engine.ts'
import { appEnv } from './migrate.ts'
import { type Colour, RELEASE_LABEL, type Role, ROLES } from './names.ts'
import type { HostRun } from './run.ts'

const BACKGROUND: Role[] = ['worker', 'scheduler']

/** The roles' definitions (the secrets only matter for their environment). */
function roleServices(secrets: StackSecrets = { appKey: '', dbPassword: '' }) {
  return stackServices(secrets).filter((service) => ROLES.includes(service.name as Role))
}

function colourNames(run: HostRun, colour: Colour, roles: readonly Role[] = ROLES) {
  return roles.map((role) => run.names.role(colour, role))
}

/**
 * Starts a colour's four roles from the image, beside the other colour, and
 * waits until web and ping are healthy and worker and scheduler run. Web and
 * ping also publish on the engine host's 127.0.0.1, so the checks reach
 * them directly rather than through the proxy.
 */
export async function startColour(
  run: HostRun,
  colour: Colour,
  image: string,
  secrets: StackSecrets
) {
  const { docker } = run.tools
  const started = Date.now()
  await docker.remove(colourNames(run, colour), [])
  const env = await appEnv(run, secrets)
  const services = roleServices(secrets)
  run.say(`starting ${run.names.colour(colour)} (${ROLES.join(', ')}) from ${image}`)
  for (const service of services) {
    const name = run.names.role(colour, service.name as Role)
    await docker.run({
      name,
      image,
      command: service.command,
      env,
      network: run.names.network,
      alias: name,
      publish: service.publish,
      labels: { ...run.labels, [RELEASE_LABEL]: image },
      healthcheck: service.healthcheck ?? 'none',
      health: health(run),
      restart: true,
    })
  }
  await waitForColour(run, colour, services)
  run.say(`${run.names.colour(colour)} is up in ${seconds(Date.now() - started)}`)
}

async function waitForColour(run: HostRun, colour: Colour, services = roleServices()) {
  const handle = running(run, run.names.colour(colour), { app: '', postgres: '', redis: '' })
  try {
    await Promise.all(services.map((service) => ready(run.tools, handle, service)))
  } catch (error) {
    await showLogs(run.tools, colourNames(run, colour))
    throw error
  }
}

/** The new colour's web and ping as the smoke test reaches them: directly, not through the proxy. */
export async function directTarget(
  run: HostRun,
  colour: Colour,
  apiKey: string
): Promise<SmokeTarget> {
  const web = await run.tools.docker.inspect(run.names.role(colour, 'web'))
  const ping = await run.tools.docker.inspect(run.names.role(colour, 'ping'))
  return {
    webUrl: await reach(run.settings, '127.0.0.1', web.ports[3333]),
    pingUrl: await reach(run.settings, '127.0.0.1', ping.ports[3334]),
    apiKey,
  }
}

export async function removeColour(run: HostRun, colour: Colour) {
  run.say(`removing ${run.names.colour(colour)}`)
  await run.tools.docker.remove(colourNames(run, colour), [])
}

/**
 * The colour that no longer takes traffic: its worker and scheduler stop
 * (their work is the live colour's now); web and ping keep running, so a
 * rollback is a proxy switch.
 */
export async function standBy(run: HostRun, colour: Colour) {
  await Promise.all(colourNames(run, colour, BACKGROUND).map((n) => run.tools.docker.stop([n])))
  run.say(
    `${run.names.colour(colour)} stands by (web and ping running, worker and scheduler stopped)`
  )
}

/**
 * Brings a standing-by colour's web and ping back (running and healthy; a
 * no-op while they stand by running), ready for the proxy.
 */
export async function wake(run: HostRun, colour: Colour) {
  const { docker } = run.tools
  const front = ROLES.filter((role) => !BACKGROUND.includes(role))
  for (const name of colourNames(run, colour, front)) {
    const state = await docker.find(name)
    if (!state && !run.tools.plan) {
      throw new Error(`${name} is gone: there is no ${colour} colour to go back to`)
    }
    if (!state?.running) {
      await docker.start(name)
    }
  }
  await waitForColour(
    run,
    colour,
    roleServices().filter((s) => front.includes(s.name as Role))
  )
}

/** A colour that takes traffic again also takes the background work. */
export async function resume(run: HostRun, colour: Colour) {
  await Promise.all(
    colourNames(run, colour, BACKGROUND).map((name) => run.tools.docker.start(name))
  )
}

/** The release a colour runs (its image), if it exists. */
export async function releaseOf(run: HostRun, colour: Colour) {
  const state = await run.tools.docker.find(run.names.role(colour, 'web'))
  return state?.labels[RELEASE_LABEL]
}
