import Docker from 'dockerode'
import { dockerEngine } from '../lib/docker_engine.ts'
import type { Tools } from '../lib/tools.ts'
import type { HostSettings } from './settings.ts'
import { dockerOverSsh, parseSshUrl, sshTunnel } from './ssh.ts'

function isSsh(settings: HostSettings) {
  return settings.engine?.startsWith('ssh://') ?? false
}

function sshTarget(settings: HostSettings) {
  return parseSshUrl(settings.engine!, { key: settings.sshKey, config: settings.sshConfig })
}

/**
 * The tools a host deploy uses: the pipeline's own, with the Docker port of
 * the target engine (a server over ssh) when that is not the local one. A dry
 * run keeps its recorder.
 */
export function engineTools(tools: Tools, settings: HostSettings): Tools {
  if (tools.plan || !isSsh(settings)) {
    return tools
  }
  const agent = dockerOverSsh(sshTarget(settings))
  const docker = new Docker({ protocol: 'http', host: 'docker', port: 80, agent } as never)
  return { ...tools, docker: dockerEngine(tools.log, docker, { local: false }) }
}

/**
 * The URL this machine reaches a port on the engine's host with: directly on
 * this machine, through an ssh tunnel to a server's loopback.
 */
export async function reach(settings: HostSettings, bind: string, port: number): Promise<string> {
  if (!isSsh(settings)) {
    return `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${port}`
  }
  const target = sshTarget(settings)
  if (bind !== '127.0.0.1') {
    return `http://${bind === '0.0.0.0' ? target.host : bind}:${port}`
  }
  return `http://127.0.0.1:${await sshTunnel(target, port)}`
}
