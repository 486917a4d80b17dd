import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packContext } from '../lib/build_context.ts'
import { LOCAL_IMAGES } from '../steps/local_images.ts'
import { engineImage } from './data.ts'
import type { Colour } from './names.ts'
import { pause, type HostRun } from './run.ts'

const IMAGE_LABEL = 'ngip.proxy.image'
const SWITCH_TIMEOUT_MS = 15_000

/** `localhost/ngip-proxy:<hash of docker/proxy>`: a change to those files makes a new image. */
export function proxyImage(root: string) {
  const dir = join(root, 'docker/proxy')
  const hash = createHash('sha256')
  for (const file of readdirSync(dir).sort()) {
    hash.update(file).update(readFileSync(join(dir, file)))
  }
  return `localhost/ngip-proxy:${hash.digest('hex').slice(0, 12)}`
}

/** Builds the proxy image on the engine from Debian's nginx, unless it has it. */
async function buildProxy(run: HostRun, image: string) {
  const { docker } = run.tools
  if (await docker.hasImage(image)) {
    return
  }
  const debian = await engineImage(run, ['debian:bookworm-slim', LOCAL_IMAGES.debian])
  run.say(`building ${image} from ${debian}`)
  await docker.build({
    context: () => packContext(join(run.settings.root, 'docker/proxy')),
    contextLabel: 'docker/proxy',
    tag: image,
    dockerfile: 'Dockerfile',
    buildargs: { DEBIAN_IMAGE: debian },
  })
}

/**
 * The environment's proxy, publishing its web and ping ports: made on the
 * first deploy (answering 502 until a colour is switched in), and replaced
 * only when docker/proxy changed (its routing is in a volume, so it comes
 * back on the same colour).
 */
export async function ensureProxy(run: HostRun) {
  const { docker } = run.tools
  const { names } = run
  const image = proxyImage(run.settings.root)
  const state = await docker.find(names.proxy)
  if (state?.labels[IMAGE_LABEL] === image) {
    return state.running ? undefined : docker.start(names.proxy)
  }
  await buildProxy(run, image)
  if (state) {
    run.say(`docker/proxy changed: replacing ${names.proxy} (its ports pause for a moment)`)
    await docker.remove([names.proxy], [])
  }
  const ports = run.settings.envs[run.env]
  run.say(`starting ${names.proxy} on ${run.settings.bind}:${ports.webPort} and :${ports.pingPort}`)
  await docker.run({
    name: names.proxy,
    image,
    env: {},
    network: names.network,
    alias: names.proxy,
    bind: run.settings.bind,
    hostPorts: { 8080: ports.webPort, 8081: ports.pingPort },
    mounts: { [names.volumes.proxy]: '/etc/nginx/ngip' },
    labels: { ...run.labels, [IMAGE_LABEL]: image },
    restart: true,
  })
}

/** What the proxy says: the colour its configuration names, and the one web and ping answer from. */
async function colours(run: HostRun) {
  const { exitCode, output } = await run.tools.docker.exec(run.names.proxy, ['ngip-colour'])
  if (exitCode !== 0) {
    throw new Error(`${run.names.proxy} cannot tell its colour: ${output.trim()}`)
  }
  const [configured, web, ping] = output.trim().split('\n')
  return { configured, web, ping }
}

/** The colour taking traffic, if any. */
export async function liveColour(run: HostRun): Promise<Colour | undefined> {
  const { configured } = await colours(run)
  return configured === 'blue' || configured === 'green' ? configured : undefined
}

/** The image the proxy runs (there is always one once an environment exists). */
export async function proxyImageOnEngine(run: HostRun) {
  const state = await run.tools.docker.find(run.names.proxy)
  return state?.labels[IMAGE_LABEL] ?? proxyImage(run.settings.root)
}

/** Waits until both ports answer from `colour`: the reload took effect. */
async function answersFrom(run: HostRun, colour: Colour) {
  const deadline = Date.now() + SWITCH_TIMEOUT_MS
  let seen = await colours(run)
  while (!run.tools.plan && (seen.web !== colour || seen.ping !== colour)) {
    if (Date.now() > deadline) {
      throw new Error(`the proxy still answers from ${seen.web}/${seen.ping}, not ${colour}`)
    }
    await pause(200)
    seen = await colours(run)
  }
}

/**
 * Switches the proxy to `colour` in one reload: nginx checks the new
 * configuration first and keeps the old one when it cannot load it. When the
 * switch does not take, the proxy is put back on `previous`.
 */
export async function switchTo(run: HostRun, colour: Colour, previous?: Colour) {
  const started = Date.now()
  const route = (to: Colour) => [
    'ngip-switch',
    to,
    `${run.names.role(to, 'web')}:3333`,
    `${run.names.role(to, 'ping')}:3334`,
  ]
  const { docker } = run.tools
  const result = await docker.exec(run.names.proxy, route(colour))
  if (result.exitCode !== 0) {
    throw new Error(`the proxy refused the switch to ${colour}: ${oneLine(result.output)}`)
  }
  try {
    await answersFrom(run, colour)
  } catch (error) {
    if (previous) {
      await docker.exec(run.names.proxy, route(previous))
    }
    throw error
  }
  run.say(`the proxy switched to ${run.names.colour(colour)} in ${Date.now() - started} ms`)
}

function oneLine(text: string) {
  const lines = text.trim().split('\n').filter(Boolean)
  return lines.find((line) => /emerg|error|failed/i.test(line)) ?? lines[0] ?? 'no reason given'
}
