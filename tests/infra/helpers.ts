import { App } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type EnvName,
  type NgipConfig,
  type RawConfig,
  resolveConfig,
} from '../../infra/lib/config.js'
import { buildNgip, type NgipStacks } from '../../infra/lib/ngip_app.js'

export type StackName = keyof NgipStacks

/** Every stack of an environment, per-account ones first. */
export const ALL_STACKS: StackName[] = [
  'shared',
  'buildHost',
  'network',
  'data',
  'jobs',
  'app',
  'ping',
  'dns',
  'observability',
]

export interface Synthesized {
  config: NgipConfig
  stacks: NgipStacks
  outdir: string
  template(name: StackName): Template
}

const CDK_JSON = new URL('../../infra/cdk.json', import.meta.url)
const outdirs: string[] = []
const cache = new Map<string, Synthesized>()

process.once('exit', () => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

/** The configuration the tests use, as bin/app.ts would build it from context. */
export function testConfig(raw: RawConfig = {}): NgipConfig {
  return resolveConfig({ packageManager: 'pnpm@12.21.0', imageTag: 'test', ...raw })
}

/** The feature flags of infra/cdk.json, which the CLI hands to the app. */
export function featureFlags(): Record<string, unknown> {
  return JSON.parse(readFileSync(CDK_JSON, 'utf8')).context
}

/**
 * A fresh app with the project's feature flags; `bundle` lists the stacks
 * whose assets are really built (none by default, for speed).
 */
export function newApp(bundle: string[] = []): App {
  const outdir = mkdtempSync(join(tmpdir(), 'ngip-infra-'))
  outdirs.push(outdir)
  return new App({ outdir, context: { ...featureFlags(), 'aws:cdk:bundling-stacks': bundle } })
}

function synthesize(config: NgipConfig, bundle: string[]): Synthesized {
  const app = newApp(bundle)
  const stacks = buildNgip(app, config)
  const assembly = app.synth()
  const templates = new Map<StackName, Template>()
  return {
    config,
    stacks,
    outdir: assembly.directory,
    template(name) {
      if (!templates.has(name)) {
        templates.set(name, Template.fromStack(stacks[name]))
      }
      return templates.get(name)!
    },
  }
}

/** Prod also covers the optional settings; stage runs on the defaults. */
const ENV_CONTEXT: Record<EnvName, RawConfig> = {
  stage: { env: 'stage' },
  prod: { env: 'prod', alarmEmail: 'ops@example.com' },
}

/**
 * The whole app of one environment, synthesized once per test process
 * (cdk-nag runs as part of it). Stage bundles the ping Lambda for real.
 */
export function synthEnv(env: EnvName): Synthesized {
  if (!cache.has(env)) {
    const bundle = env === 'stage' ? ['ngip-stage-ping'] : []
    cache.set(env, synthesize(testConfig(ENV_CONTEXT[env]), bundle))
  }
  return cache.get(env)!
}
