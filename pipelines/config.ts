import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { AwsSettings } from './lib/aws_port.ts'

/** The stages of `all`, in order. */
export const STAGES = [
  'build',
  'test',
  'docker-build',
  'docker-test',
  'push',
  'upload',
  'stage',
  'stage-test',
  'prod',
  'cleanup',
] as const
export type StageName = (typeof STAGES)[number]
export type Command = StageName | 'all' | 'idle-check'

/** Where base images come from: pulled, made on this machine, or pulled when possible. */
export type BaseImages = 'auto' | 'registry' | 'local'

export interface SmokeTarget {
  webUrl: string
  pingUrl: string
  apiKey: string
}

export interface PipelineConfig {
  command: Command
  dryRun: boolean
  branch: string
  /** Short commit id: the image tag and the artifacts' version. */
  commit: string
  root: string
  image: {
    name: string
    tag: string
    bases: BaseImages
    nodeBinary: string
    npmDir: string
    buildCa?: string
    /** Scratch space for making local base images. */
    workDir: string
    debianMirror: string
  }
  aws: AwsSettings
  /** ECR repository; the registry host comes from the authorization token. */
  push: { repository: string; registryHint: string }
  upload: { staticBucket: string; artifactsBucket: string }
  /** The stage URLs and API key that stage-test uses; set by the stage environment. */
  stageTarget?: SmokeTarget
  destroyStage: boolean
  idle: {
    minutes: number
    stateDir: string
    stopWith: 'shutdown' | 'ec2' | 'asg'
    instanceId?: string
    group?: string
  }
}

/** Facts about the checkout and this process, read once by the entry file. */
export interface Facts {
  root: string
  branch: string
  commit: string
  nodeBinary: string
  npmDir: string
}

export const USAGE = `usage: pnpm run pipeline <${[...STAGES, 'all', 'idle-check'].join('|')}> [--dry-run] [--branch B]
  [--base-images auto|registry|local] [--destroy-stage]
  idle-check [--idle-minutes N] [--stop-with shutdown|ec2|asg]`

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string
): T {
  if (!value || !allowed.includes(value as T)) {
    throw new Error(`${what} must be one of ${allowed.join(', ')}, got "${value ?? ''}"`)
  }
  return value as T
}

function stageTarget(env: NodeJS.ProcessEnv): SmokeTarget | undefined {
  const {
    NGIP_STAGE_WEB_URL: webUrl,
    NGIP_STAGE_PING_URL: pingUrl,
    NGIP_STAGE_API_KEY: apiKey,
  } = env
  return webUrl && pingUrl && apiKey ? { webUrl, pingUrl, apiKey } : undefined
}

function cliOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'branch': { type: 'string' },
      'base-images': { type: 'string', default: 'auto' },
      'destroy-stage': { type: 'boolean', default: false },
      'idle-minutes': { type: 'string' },
      'stop-with': { type: 'string' },
    },
  })
}

type Options = ReturnType<typeof cliOptions>['values']

function imageConfig(options: Options, env: NodeJS.ProcessEnv, facts: Facts) {
  return {
    name: env.NGIP_IMAGE_NAME || 'ngip',
    tag: facts.commit,
    bases: oneOf(options['base-images'], ['auto', 'registry', 'local'] as const, '--base-images'),
    nodeBinary: facts.nodeBinary,
    npmDir: facts.npmDir,
    buildCa: env.NODE_EXTRA_CA_CERTS || undefined,
    workDir: env.NGIP_WORK_DIR || join(tmpdir(), 'ngip-pipeline'),
    debianMirror: env.NGIP_DEBIAN_MIRROR || 'http://deb.debian.org/debian',
  }
}

/** The build host's settings come from its systemd unit (IDLE_MINUTES, BUILD_HOST_GROUP). */
function idleConfig(options: Options, env: NodeJS.ProcessEnv): PipelineConfig['idle'] {
  const raw = options['idle-minutes'] ?? env.IDLE_MINUTES ?? '30'
  const minutes = Number(raw)
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`--idle-minutes must be a whole number of minutes, got "${raw}"`)
  }
  const stopWith = options['stop-with'] ?? (env.BUILD_HOST_GROUP ? 'asg' : 'shutdown')
  return {
    minutes,
    stateDir: env.NGIP_PIPELINE_STATE_DIR || join(homedir(), '.local/state/ngip-pipeline'),
    stopWith: oneOf(stopWith, ['shutdown', 'ec2', 'asg'] as const, '--stop-with'),
    instanceId: env.NGIP_INSTANCE_ID || undefined,
    group: env.BUILD_HOST_GROUP || undefined,
  }
}

function awsConfig(env: NodeJS.ProcessEnv) {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'eu-west-1'
  return {
    aws: {
      region,
      s3Endpoint: env.NGIP_S3_ENDPOINT || undefined,
      imdsEndpoint: env.NGIP_IMDS_ENDPOINT || 'http://169.254.169.254',
    },
    push: {
      repository: env.NGIP_ECR_REPOSITORY || 'ngip',
      registryHint: env.NGIP_ECR_REGISTRY || `<account>.dkr.ecr.${region}.amazonaws.com`,
    },
    upload: {
      staticBucket: env.NGIP_STATIC_BUCKET || 'ngip-static',
      artifactsBucket: env.NGIP_ARTIFACTS_BUCKET || 'ngip-artifacts',
    },
  }
}

/**
 * Arguments and environment → the typed configuration every step gets.
 * Throws a one-line error on bad input.
 */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv, facts: Facts): PipelineConfig {
  const { values, positionals } = cliOptions(argv)
  return {
    command: oneOf(positionals[0], [...STAGES, 'all', 'idle-check'] as const, 'the stage'),
    dryRun: values['dry-run'],
    branch: values.branch || facts.branch,
    commit: facts.commit,
    root: facts.root,
    image: imageConfig(values, env, facts),
    ...awsConfig(env),
    stageTarget: stageTarget(env),
    destroyStage: values['destroy-stage'],
    idle: idleConfig(values, env),
  }
}
