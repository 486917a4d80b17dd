import type { SmokeTarget } from '../config.ts'
import { seconds } from '../lib/log.ts'
import type { StackSecrets } from '../lib/stack.ts'
import type { DeployTarget, Environment, Release } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'
import {
  directTarget,
  releaseOf,
  removeColour,
  resume,
  standBy,
  startColour,
  wake,
} from './colour.ts'
import { ensureData, releaseImage } from './data.ts'
import { reach } from './engine.ts'
import { withLock } from './lock.ts'
import { migrate } from './migrate.ts'
import { type Colour, otherColour } from './names.ts'
import { showLogs } from '../steps/stack_run.ts'
import { ensureProxy, liveColour, proxyImageOnEngine, switchTo } from './proxy.ts'
import { openRun, type HostRun } from './run.ts'
import { readSecrets } from './secrets.ts'
import type { HostSettings } from './settings.ts'
import { loadCredentials, loadStagePass, saveCredentials, saveStagePass } from './state.ts'

export { hostSettings, type HostSettings } from './settings.ts'

/** A failed colour's web and ping as they were before it is removed: running or not, health, last lines. */
async function describeColour(run: HostRun, colour: Colour) {
  const names = (['web', 'ping'] as const).map((role) => run.names.role(colour, role))
  for (const name of names) {
    const state = await run.tools.docker.inspect(name).catch(() => undefined)
    run.say(
      state
        ? `${name}: ${state.running ? 'running' : `exited ${state.exitCode}`}, health ${state.health}`
        : `${name}: gone`
    )
  }
  await showLogs(run.tools, names)
}

/** The new colour up beside the live one, checked directly, then switched in; removed if anything fails. */
async function blueGreen(
  run: HostRun,
  release: Release,
  live: Colour | undefined,
  setup: { secrets: StackSecrets; apiKey: string }
) {
  const next = live ? otherColour(live) : 'blue'
  try {
    await startColour(run, next, release.image, setup.secrets)
    await run.tools.smoke(await directTarget(run, next, setup.apiKey))
    await switchTo(run, next, live)
  } catch (error) {
    await describeColour(run, next)
    await removeColour(run, next)
    const still = live ? `${run.names.colour(live)} still serves` : 'nothing was serving yet'
    throw new Error(`${(error as Error).message.split('\n')[0]}; ${still}`)
  }
  if (live) {
    await standBy(run, live)
  }
  return next
}

async function deploy(settings: HostSettings, tools: Tools, env: Environment, release: Release) {
  const secrets = readSecrets(tools, settings, env)
  const run = await openRun(tools, settings, env)
  await releaseImage(run, release.image)
  await withLock(run, `deploy of ${release.tag}`, release.image, async () => {
    await ensureData(run, secrets)
    await ensureProxy(run)
    const live = await liveColour(run)
    const printed = await migrate(run, release.image, secrets).catch((error: Error) => {
      const still = live ? `${run.names.colour(live)} still serves` : 'nothing else changed'
      throw new Error(`${error.message}; ${still}`)
    })
    const credentials = await saveCredentials(run.tools, settings, env, printed)
    const next = await blueGreen(run, release, live, { secrets, apiKey: credentials.apiKey })
    const standby = live ? `; ${live} stands by for \`pnpm pipeline rollback\`` : ''
    run.say(`${env} serves ${release.tag} from ${next}${standby}`)
  })
}

async function rollback(settings: HostSettings, tools: Tools, env: Environment) {
  const run = await openRun(tools, settings, env)
  const started = Date.now()
  await withLock(run, 'rollback', await proxyImageOnEngine(run), async () => {
    const live = (await liveColour(run)) ?? (tools.plan ? 'green' : undefined)
    if (!live) {
      throw new Error(`nothing is deployed to ${env}: there is nothing to roll back`)
    }
    const back = otherColour(live)
    await wake(run, back)
    await switchTo(run, back, live)
    const switched = Date.now() - started
    await resume(run, back)
    await standBy(run, live)
    const from = (await releaseOf(run, live)) ?? '?'
    const to = (await releaseOf(run, back)) ?? '?'
    run.say(`traffic went back to ${back} after ${seconds(switched)}`)
    run.say(
      `${env} rolled back from ${from} (${live}) to ${to} (${back}) in ${seconds(Date.now() - started)}`
    )
  })
}

/** The proxy's ports as this machine reaches them, and the API key setup made. */
async function smokeTarget(settings: HostSettings, tools: Tools, env: Environment) {
  const urls = settings.envs[env]
  const { apiKey } = await loadCredentials(tools, settings, env)
  return {
    webUrl: await reach(settings, settings.bind, urls.webPort),
    pingUrl: await reach(settings, settings.bind, urls.pingPort),
    apiKey,
  } satisfies SmokeTarget
}

/**
 * The deploy target for one Docker engine, this machine's or a server's over
 * ssh: each environment a stack of its own (network, PostgreSQL and Redis in
 * named volumes, a proxy), the release as a blue or green colour behind it.
 */
export function hostTarget(settings: HostSettings): DeployTarget {
  return {
    name: 'host',
    deploy: (tools, env, release) => deploy(settings, tools, env, release),
    smokeTarget: (tools, env) => smokeTarget(settings, tools, env),
    recordStagePass: (tools, release) =>
      saveStagePass(tools, settings, {
        commit: release.commit,
        image: release.image,
        at: new Date().toISOString(),
      }),
    lastStagePass: () => loadStagePass(settings),
    rollback: (tools, env) => rollback(settings, tools, env),
  }
}
