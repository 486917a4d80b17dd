import { accessSync, constants, existsSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { cliOptions, Facts, PipelineConfig } from '../config.ts'
import { registryLogin } from '../host/settings.ts'
import { STATE_DIR } from './activity.ts'

/** `value` when it is one of `allowed`, else an error naming `what` (a flag or variable). */
export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string
): T {
  if (!value || !allowed.includes(value as T)) {
    throw new Error(`${what} must be one of ${allowed.join(', ')}, got "${value ?? ''}"`)
  }
  return value as T
}

/** The parts of the configuration that come from the environment, with their defaults. */
type Options = ReturnType<typeof cliOptions>['values']

export function imageConfig(options: Options, env: NodeJS.ProcessEnv, facts: Facts) {
  return {
    name: env.NGIP_IMAGE_NAME || 'ngip',
    tag: facts.commit,
    bases: oneOf(
      options['base-images'] ?? (env.NGIP_BASE_IMAGES || 'auto'),
      ['auto', 'registry', 'local'] as const,
      '--base-images'
    ),
    nodeBinary: facts.nodeBinary,
    npmDir: facts.npmDir,
    buildCa: env.NODE_EXTRA_CA_CERTS || undefined,
    workDir: env.NGIP_WORK_DIR || join(tmpdir(), 'ngip-pipeline'),
    debianMirror: env.NGIP_DEBIAN_MIRROR || 'http://deb.debian.org/debian',
  }
}

function writable(path: string) {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The one state folder every user of a machine shares (the build host's
 * bootstrap makes it); where it can be neither used nor made (a person's own
 * machine, not root), the user's own.
 */
export function defaultStateDir(): string {
  const usable = existsSync(STATE_DIR) ? writable(STATE_DIR) : writable(dirname(STATE_DIR))
  return usable ? STATE_DIR : join(homedir(), '.local/state/ngip-pipeline')
}

/**
 * The build host's settings come from its systemd units (IDLE_MINUTES,
 * BUILD_HOST_GROUP); its state folder is the same for every user.
 */
export function idleConfig(options: Options, env: NodeJS.ProcessEnv): PipelineConfig['idle'] {
  const raw = options['idle-minutes'] ?? env.IDLE_MINUTES ?? '30'
  const minutes = Number(raw)
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`--idle-minutes must be a whole number of minutes, got "${raw}"`)
  }
  const stopWith = options['stop-with'] ?? (env.BUILD_HOST_GROUP ? 'asg' : 'shutdown')
  return {
    minutes,
    stateDir: env.NGIP_PIPELINE_STATE_DIR || defaultStateDir(),
    stopWith: oneOf(stopWith, ['shutdown', 'ec2', 'asg'] as const, '--stop-with'),
    instanceId: env.NGIP_INSTANCE_ID || undefined,
    group: env.BUILD_HOST_GROUP || undefined,
  }
}

export function awsConfig(env: NodeJS.ProcessEnv) {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'eu-west-1'
  return {
    aws: {
      region,
      imdsEndpoint: env.NGIP_IMDS_ENDPOINT || 'http://169.254.169.254',
    },
    push: {
      repository: env.NGIP_ECR_REPOSITORY || 'ngip',
      registryHint:
        env.NGIP_REGISTRY || env.NGIP_ECR_REGISTRY || `<account>.dkr.ecr.${region}.amazonaws.com`,
      registry: env.NGIP_REGISTRY ? { host: env.NGIP_REGISTRY, ...registryLogin(env) } : undefined,
    },
  }
}

/** The deploy targets `stage` and `prod` can go to; the one place that names them. */
export const DEPLOY_TARGETS = ['aws', 'host'] as const
export type DeployTargetName = (typeof DEPLOY_TARGETS)[number]

export function deployTargetName(env: NodeJS.ProcessEnv): DeployTargetName {
  return oneOf(env.NGIP_DEPLOY_TARGET || 'aws', DEPLOY_TARGETS, 'NGIP_DEPLOY_TARGET')
}
