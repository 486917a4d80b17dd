import { parseArgs } from 'node:util'
import { hostSettings, type HostSettings } from './host/settings.ts'
import type { AwsSettings } from './lib/aws_port.ts'
import {
  awsConfig,
  type DeployTargetName,
  deployTargetName,
  idleConfig,
  imageConfig,
  oneOf,
} from './lib/settings.ts'

/** The stages of `all`, in order. */
export const STAGES = [
  'build',
  'test',
  'docker-build',
  'docker-test',
  'push',
  'stage',
  'stage-test',
  'prod',
  'cleanup',
] as const
export type StageName = (typeof STAGES)[number]

/**
 * What `pnpm pipeline <command>` runs: a stage, every stage (`all`), prod's
 * previous colour (`rollback`), the whole loop on this machine (`rehearse`),
 * or the build host's `idle-check`.
 */
export const COMMANDS = [...STAGES, 'all', 'rollback', 'rehearse', 'idle-check'] as const
export type Command = (typeof COMMANDS)[number]

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
  /** Short commit id: the image tag. */
  commit: string
  /** HEAD's full commit id and subject line, what a release is made of. */
  head: string
  subject: string
  /** main's commit (origin's when known); prod deploys only when HEAD is it. */
  mainCommit?: string
  /** Where stage and prod go (NGIP_DEPLOY_TARGET). */
  target: DeployTargetName
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
  /**
   * Where push puts the image: ECR (the registry host comes from the
   * authorization token), or a registry of one's own (NGIP_REGISTRY) for the
   * host target.
   */
  push: {
    repository: string
    registryHint: string
    registry?: { host: string; username?: string; password?: string }
  }
  /** The host target's engine, ports and secrets (NGIP_DEPLOY_TARGET=host, NGIP_HOST_*). */
  host?: HostSettings
  /** What the test stage passes to `pnpm test` (NGIP_PIPELINE_TEST_ARGS; all suites by default). */
  testArgs: string[]
  /** Where `rehearse` writes its report as JSON (NGIP_REHEARSAL_REPORT). */
  rehearsalReport?: string
  /** The stage URLs and API key for stage-test, when set by hand (NGIP_STAGE_*). */
  stageTarget?: SmokeTarget
  destroyStage: boolean
  /** A ping URL the pipeline reports its own runs to (NGIP_PIPELINE_PING_URL). */
  selfPingUrl?: string
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
  head: string
  subject: string
  mainCommit?: string
  nodeBinary: string
  npmDir: string
}

export const USAGE = `usage: pnpm pipeline <${COMMANDS.join('|')}>
       pnpm pipeline <command>:dry-run
       pnpm run pipeline <command> [--dry-run] [--branch B] [--base-images auto|registry|local]
         [--destroy-stage] [--idle-minutes N] [--stop-with shutdown|ec2|asg]`

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
      'base-images': { type: 'string' },
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
  const idle = idleConfig(values, env)
  const target = deployTargetName(env)
  return {
    command: oneOf(positionals[0], COMMANDS, 'the stage'),
    dryRun: values['dry-run'],
    branch: values.branch || facts.branch,
    commit: facts.commit,
    head: facts.head,
    subject: facts.subject,
    mainCommit: facts.mainCommit,
    target,
    root: facts.root,
    image: imageConfig(values, env, facts),
    ...awsConfig(env),
    stageTarget: stageTarget(env),
    destroyStage: values['destroy-stage'],
    selfPingUrl: env.NGIP_PIPELINE_PING_URL || undefined,
    testArgs: (env.NGIP_PIPELINE_TEST_ARGS ?? '').split(/\s+/).filter(Boolean),
    rehearsalReport: env.NGIP_REHEARSAL_REPORT || undefined,
    host:
      target === 'host'
        ? hostSettings(env, { root: facts.root, stateDir: idle.stateDir })
        : undefined,
    idle,
  }
}
