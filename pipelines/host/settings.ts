import { join } from 'node:path'
import type { RegistryAuth } from '../lib/docker_port.ts'
import type { Environment } from '../lib/target.ts'

export interface EnvSettings {
  /** Host ports the proxy publishes: the web and the ping edge. */
  webPort: number
  pingPort: number
  /** The public URLs the app puts in links and ping URLs. */
  appUrl: string
  pingUrl: string
}

export interface HostSettings {
  /** DOCKER_HOST: unset or unix:// for this machine's engine, ssh://user@server[:port] for another. */
  engine?: string
  /** A private key for ssh (else ssh's own configuration and agent). */
  sshKey?: string
  /** An ssh configuration file instead of ~/.ssh/config (known hosts, keys, ControlMaster). */
  sshConfig?: string
  /** Prefix of every name on the engine: `<project>-<env>-...`. */
  project: string
  /** The address the proxies publish on (127.0.0.1: a TLS front or a tunnel reaches them). */
  bind: string
  envs: Record<Environment, EnvSettings>
  /** Where this machine keeps the credentials of each environment and the stage pass. */
  stateDir: string
  /** `<dir>/<env>/app_key` and `<dir>/<env>/db_password`. */
  secretsDir: string
  /** The environment variables: NGIP_<ENV>_APP_KEY / NGIP_<ENV>_DB_PASSWORD are looked up there first. */
  environment: Record<string, string | undefined>
  /** For pulling the release image from a registry that wants a login. */
  registryLogin?: Pick<RegistryAuth, 'username' | 'password'>
  /** How long a deploy waits for another one on the same environment. */
  lockWaitS: number
  /** How long each container may take to become ready. */
  readyS: number
  /** Seconds between health checks of the long-running containers. */
  healthIntervalS: number
  /** The checkout: docker/proxy is the proxy image's build context. */
  root: string
}

const DEFAULT_PORTS: Record<Environment, [number, number]> = {
  stage: [13333, 13334],
  prod: [3333, 3334],
}

function ports(env: NodeJS.ProcessEnv, name: Environment): [number, number] {
  const raw = env[`NGIP_HOST_${name.toUpperCase()}_PORTS`]
  const parsed = raw?.split(',').map(Number) ?? DEFAULT_PORTS[name]
  if (parsed.length !== 2 || parsed.some((port) => !Number.isInteger(port) || port < 1)) {
    throw new Error(
      `NGIP_HOST_${name.toUpperCase()}_PORTS must be "webPort,pingPort", got "${raw}"`
    )
  }
  return parsed as [number, number]
}

function envSettings(env: NodeJS.ProcessEnv, name: Environment, bind: string): EnvSettings {
  const [webPort, pingPort] = ports(env, name)
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind
  const prefix = `NGIP_HOST_${name.toUpperCase()}`
  return {
    webPort,
    pingPort,
    appUrl: env[`${prefix}_APP_URL`] || `http://${host}:${webPort}`,
    pingUrl: env[`${prefix}_PING_URL`] || `http://${host}:${pingPort}`,
  }
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number) {
  const value = Number(env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a number of seconds, got "${env[name]}"`)
  }
  return value
}

/** The login of one's own registry (NGIP_REGISTRY_USERNAME and _PASSWORD), for push and pull alike. */
export function registryLogin(env: NodeJS.ProcessEnv) {
  const { NGIP_REGISTRY_USERNAME: username, NGIP_REGISTRY_PASSWORD: password } = env
  return username && password ? { username, password } : undefined
}

/** The host target's settings from the environment (`NGIP_DEPLOY_TARGET=host`). */
export function hostSettings(
  env: NodeJS.ProcessEnv,
  paths: { root: string; stateDir: string }
): HostSettings {
  const bind = env.NGIP_HOST_BIND || '127.0.0.1'
  return {
    engine: env.DOCKER_HOST || undefined,
    sshKey: env.NGIP_HOST_SSH_KEY || undefined,
    sshConfig: env.NGIP_HOST_SSH_CONFIG || undefined,
    project: env.NGIP_HOST_PROJECT || 'ngip',
    bind,
    envs: { stage: envSettings(env, 'stage', bind), prod: envSettings(env, 'prod', bind) },
    stateDir: paths.stateDir,
    secretsDir: env.NGIP_HOST_SECRETS_DIR || join(paths.stateDir, 'secrets'),
    environment: { ...env },
    registryLogin: registryLogin(env),
    lockWaitS: seconds(env, 'NGIP_HOST_LOCK_WAIT', 600),
    readyS: seconds(env, 'NGIP_HOST_READY_TIMEOUT', 180),
    healthIntervalS: 2,
    root: paths.root,
  }
}
