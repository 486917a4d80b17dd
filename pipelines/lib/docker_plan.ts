import type { ContainerRequest, ContainerState, DockerPort } from './docker_port.ts'
import type { Plan } from './plan.ts'

function args(values: Record<string, string> | undefined, flag: string) {
  return Object.entries(values ?? {})
    .map(([key, value]) => ` ${flag} ${key}=${value}`)
    .join('')
}

const HEALTHY: ContainerState = {
  running: true,
  exitCode: 0,
  health: 'healthy',
  ports: { 3333: 3333, 3334: 3334 },
  labels: {},
}

/** `docker run` flags for what a request asks (the environment is never shown). */
function runFlags(request: ContainerRequest) {
  const bind = request.bind ?? '127.0.0.1'
  const networks = [request.network, ...(request.extraNetworks ?? [])].join(',')
  const publish = (request.publish ?? []).map((port) => ` -p ${bind}::${port}`)
  const fixed = Object.entries(request.hostPorts ?? {}).map(
    ([port, host]) => ` -p ${bind}:${host}:${port}`
  )
  const mounts = Object.entries(request.mounts ?? {}).map(([from, to]) => ` -v ${from}:${to}`)
  const restart = request.restart ? ' --restart unless-stopped' : ''
  const command = request.command ? ` ${request.command.join(' ')}` : ''
  return `${restart} --network ${networks}${[...publish, ...fixed, ...mounts].join('')} ${request.image}${command}`
}

/**
 * The dry run's DockerPort: records each call as a `docker ...` line and
 * answers as an engine on which everything succeeds (no image present yet,
 * every container healthy, exit code 0).
 */
export function dockerPlan(plan: Plan): DockerPort {
  const say = (line: string) => plan.record(`docker ${line}`)
  return {
    async ready() {
      say('version')
    },
    async hasImage(ref) {
      say(`image inspect ${ref}`)
      return false
    },
    async pull(ref, auth) {
      say(`pull ${ref}${auth ? ` (as ${auth.username})` : ''}`)
      return true
    },
    async build(request) {
      const flags = args(request.buildargs, '--build-arg')
      say(`build -t ${request.tag} -f ${request.dockerfile}${flags} ${request.contextLabel}`)
    },
    async importImage(tarPath, ref) {
      say(`import ${tarPath} ${ref}`)
    },
    async tag(ref, repo, tag) {
      say(`tag ${ref} ${repo}:${tag}`)
    },
    async push(repo, tag, auth) {
      say(`push ${repo}:${tag} (as ${auth.username} on ${auth.serveraddress})`)
      return 'sha256:(dry run)'
    },
    async createNetwork(name, internal) {
      say(`network create${internal ? ' --internal' : ''} ${name}`)
    },
    async run(request) {
      say(`run -d --name ${request.name}${runFlags(request)}`)
    },
    async inspect(name) {
      say(`inspect ${name}`)
      return { ...HEALTHY }
    },
    async find(name) {
      say(`inspect ${name}`)
      return undefined
    },
    async claim(request) {
      say(`create --name ${request.name} --network none ${request.image}`)
      return true
    },
    async start(name) {
      say(`start ${name}`)
    },
    async stop(names) {
      say(`stop ${names.join(' ')}`)
    },
    async exec(name, command) {
      say(`exec ${name} ${command.join(' ')}`)
      return { exitCode: 0, output: '' }
    },
    async ensureNetwork(name) {
      say(`network create ${name} (unless it exists)`)
      return true
    },
    async networkSubnets(name) {
      say(`network inspect ${name}`)
      return [`<subnet of ${name}>`]
    },
    async ensureVolume(name) {
      say(`volume create ${name}`)
    },
    async removeVolumes(names) {
      say(`volume rm ${names.join(' ')}`)
    },
    async wait(name) {
      say(`wait ${name}`)
      return 0
    },
    async logs(name) {
      say(`logs ${name}`)
      return ''
    },
    async remove(names, networks) {
      if (names.length > 0) {
        say(`rm -f ${names.join(' ')}`)
      }
      if (networks.length > 0) {
        say(`network rm ${networks.join(' ')}`)
      }
    },
    async removeLabelled(label) {
      say(
        `rm -f $(docker ps -aq --filter label=${label}); docker network prune --filter label=${label}`
      )
      return 0
    },
    async removeOldTags(repo, keep) {
      say(`rmi $(docker images ${repo} --format '{{.Repository}}:{{.Tag}}' | grep -v ':${keep}$')`)
      return 0
    },
    async pruneDanglingImages() {
      say('image prune --force --filter dangling=true --filter until=24h')
      return 0
    },
  }
}
