/**
 * A Docker engine on this machine: Debian's docker.io (plus the registry and
 * tools the pipeline tests use), installed when missing and allowed (root),
 * and dockerd started when its socket does not answer. Used by the pipeline's
 * Docker stages and by `pnpm test`. Plain Node (no zx), so bin/run_tests.ts
 * can import it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync } from 'node:fs'
import { request } from 'node:http'

const SOCKET = '/var/run/docker.sock'
const LOG = '/var/log/ngip-dockerd.log'

/** Debian packages and a file each installs. */
export const DOCKER_PACKAGES = [
  { pkg: 'docker.io', file: '/usr/sbin/dockerd' },
  { pkg: 'docker-registry', file: '/usr/bin/docker-registry' },
  { pkg: 'apache2-utils', file: '/usr/bin/htpasswd' },
  { pkg: 'debootstrap', file: '/usr/sbin/debootstrap' },
]

function answers(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ socketPath: SOCKET, path: '/_ping', timeout: 2000 }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    probe.on('error', () => resolve(false))
    probe.on('timeout', () => probe.destroy())
    probe.end()
  })
}

function install(say: (line: string) => void) {
  const missing = DOCKER_PACKAGES.filter(({ file }) => !existsSync(file)).map(({ pkg }) => pkg)
  if (missing.length === 0) {
    return
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(' ')}: install them (apt-get) or run as root`)
  }
  say(`docker engine: installing ${missing.join(' ')} with apt-get`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env })
  const result = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'ignore',
    env,
  })
  if (result.status !== 0) {
    throw new Error(`apt-get install ${missing.join(' ')} failed`)
  }
}

/** Starts dockerd in the background (it outlives this process) and waits for its socket. */
async function startDaemon(say: (line: string) => void) {
  mkdirSync('/var/log', { recursive: true })
  const out = openSync(LOG, 'a')
  const daemon = spawn('dockerd', ['--host', `unix://${SOCKET}`], {
    detached: true,
    stdio: ['ignore', out, out],
  })
  daemon.unref()
  say(`docker engine: started dockerd (pid ${daemon.pid}, log ${LOG})`)
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (await answers()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`dockerd did not answer on ${SOCKET} within 30 s (see ${LOG})`)
}

/**
 * Makes sure an engine answers on the local socket. With DOCKER_HOST set the
 * engine is someone else's, and only checked by the caller.
 */
export async function ensureDockerEngine(say: (line: string) => void = console.log) {
  if (process.env.DOCKER_HOST || (await answers())) {
    return
  }
  install(say)
  await startDaemon(say)
}
