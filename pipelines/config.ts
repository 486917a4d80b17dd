import { parseArgs } from 'node:util'
import type { AwsSettings } from './lib/aws_port.ts'
import { awsConfig, idleConfig, imageConfig } from './lib/settings.ts'

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

function stageTarget(env: NodeJS.ProcessEnv): SmokeTarget | undefined {
  const {
    NGIP_STAGE_WEB_URL: webUrl,
    NGIP_STAGE_PING_URL: pingUrl,
    NGIP_STAGE_API_KEY: apiKey,
  } = env
  return webUrl && pingUrl && apiKey ? { webUrl, pingUrl, apiKey } : undefined
}

export function cliOptions(argv: string[]) {
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
