import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import { pack } from 'tar-stream'
import { hostSettings, hostTarget } from '../../../pipelines/host/target.ts'
import type { HostSettings } from '../../../pipelines/host/settings.ts'
import { followProgress } from '../../../pipelines/lib/docker_progress.ts'
import { runStages } from '../../../pipelines/lib/runner.ts'
import type { Environment, Release } from '../../../pipelines/lib/target.ts'
import { realTools } from '../../../pipelines/lib/tools.ts'
import { STAGE_LIST } from '../../../pipelines/stages.ts'
import { capturedLog, pipelineConfig, root } from './pipeline.ts'
import { freePort } from './services.ts'

export const docker = new Docker()

/** This run's names on the engine: `<project>-<env>-...`. */
export const project = `ngiph4t${process.pid}`

/** The app image of this checkout, built once (docker-build) when the engine lacks it. */
export async function appRelease(): Promise<Release> {
  const config = pipelineConfig(['docker-build'])
  const image = `${config.image.name}:${config.image.tag}`
  const has = await docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false
    )
  if (!has) {
    const { log, output } = capturedLog()
    const stages = STAGE_LIST.filter((stage) => stage.name === 'docker-build')
    const [result] = await runStages(realTools(config, log), config, stages)
    if (result.result !== 'passed') {
      throw new Error(`docker-build failed: ${output().slice(-2000)}`)
    }
  }
  return { commit: config.commit, tag: config.image.tag, image }
}

/** An image built FROM the app image with a few more lines (a broken release). */
export async function derivedImage(from: string, tag: string, lines: string[], files = {}) {
  const tar = pack()
  tar.entry({ name: 'Dockerfile' }, [`FROM ${from}`, ...lines].join('\n'))
  for (const [name, text] of Object.entries(files)) {
    tar.entry({ name }, text as string)
  }
  tar.finalize()
  const stream = await docker.buildImage(tar as unknown as NodeJS.ReadableStream, {
    t: tag,
    rm: true,
    forcerm: true,
  })
  await followProgress(docker, stream)
  return tag
}

/** A state dir with both environments' secrets as files, and the settings that use it. */
export async function testSettings() {
  const stateDir = mkdtempSync(join(tmpdir(), 'ngip-host-'))
  const secrets: Record<string, string> = {}
  for (const env of ['stage', 'prod']) {
    mkdirSync(join(stateDir, 'secrets', env), { recursive: true, mode: 0o700 })
    secrets[`${env}/app_key`] = `app-key-${env}-${process.pid}-0123456789abcdef0123456789`
    secrets[`${env}/db_password`] = `db-password-${env}-${process.pid}-s3cret`
  }
  for (const [file, value] of Object.entries(secrets)) {
    writeFileSync(join(stateDir, 'secrets', file), `${value}\n`, { mode: 0o600 })
  }
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()]
  const settings: HostSettings = {
    ...hostSettings(
      {
        NGIP_HOST_PROJECT: project,
        NGIP_HOST_STAGE_PORTS: `${ports[0]},${ports[1]}`,
        NGIP_HOST_PROD_PORTS: `${ports[2]},${ports[3]}`,
        NGIP_HOST_READY_TIMEOUT: '120',
      },
      { root, stateDir }
    ),
    healthIntervalS: 1,
  }
  return { settings, secrets, stateDir }
}

/** A deploy target and tools whose output the test reads. */
export function harness(settings: HostSettings) {
  const { log, output } = capturedLog()
  const tools = realTools(pipelineConfig(['stage']), log)
  return { target: hostTarget(settings), tools, output }
}

/** What the proxy answers on the web port: the status and the colour it came from. */
export async function viaProxy(settings: HostSettings, env: Environment, path = '/health/ready') {
  const answer = await fetch(`http://127.0.0.1:${settings.envs[env].webPort}${path}`)
  await answer.text()
  return { status: answer.status, colour: answer.headers.get('x-ngip-colour') }
}

/** Name → id and state of this environment's containers: what "nothing changed" compares. */
export async function snapshot(env: Environment) {
  const filters = { label: [`ngip.host=${project}-${env}`] }
  const containers = await docker.listContainers({ all: true, filters })
  const { Volumes: volumes = [] } = await docker.listVolumes({ filters })
  return {
    containers: Object.fromEntries(containers.map((c) => [c.Names[0], `${c.Id} ${c.State}`])),
    volumes: volumes.map((volume) => volume.Name).sort(),
  }
}

/** Removes every container, network and volume of this run's environment, and its state dir. */
export async function removeAll(env: Environment, stateDir: string, images: string[] = []) {
  const filters = { label: [`ngip.host=${project}-${env}`] }
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true, v: true })
  }
  for (const n of await docker.listNetworks({ filters })) {
    await docker.getNetwork(n.Id).remove()
  }
  const { Volumes: volumes = [] } = await docker.listVolumes({ filters })
  for (const v of volumes) {
    await docker.getVolume(v.Name).remove()
  }
  for (const image of images) {
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => {})
  }
  rmSync(stateDir, { recursive: true, force: true })
}

/** Runs a command in a container (the test's own hand on the engine) and waits for it. */
export async function execIn(container: Docker.Container, command: string[]) {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  stream.resume()
  await new Promise((resolve) => stream.on('end', resolve))
}

/** Waits until a container of that name exists (a deploy took its lock). */
export async function lockHeld(name: string) {
  for (let tries = 0; tries < 600; tries++) {
    const found = await docker
      .getContainer(name)
      .inspect()
      .then(
        () => true,
        () => false
      )
    if (found) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${name} never appeared`)
}

/** What the prod proxy answers once it answers again (after a restart). */
export async function answering(settings: HostSettings) {
  for (let tries = 0; ; tries++) {
    try {
      return await viaProxy(settings, 'prod')
    } catch (error) {
      if (tries > 100) {
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}
