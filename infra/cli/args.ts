import { parseArgs } from 'node:util'
import { ENV_NAMES, type EnvName } from '../lib/config.js'

export const COMMANDS = ['synth', 'diff', 'deploy', 'destroy', 'bootstrap'] as const
export type Command = (typeof COMMANDS)[number]

export interface CliOptions {
  command: Command
  env: EnvName
  imageTag?: string
  /** Deploy without asking to approve security-relevant changes (CI). */
  yes: boolean
  /** Stack names; every stack of the environment when empty. */
  stacks: string[]
  /** Extra `key=value` context, passed on as `-c key=value`. */
  context: string[]
  /** Stack parameters, `<stack>:<Key>=<value>`, passed on as `--parameters`. */
  parameters: string[]
}

export const USAGE =
  'usage: pnpm infra synth|diff|deploy|destroy|bootstrap [--env stage|prod] [--image-tag TAG] [-c key=value]... [--parameters stack:Key=value]... [--yes] [stack...]'

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string
): T {
  if (!value || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`${what} must be one of ${allowed.join(', ')}, got "${value ?? ''}"`)
  }
  return value as T
}

/**
 * Parses the arguments of `pnpm infra`; throws a one-line error on bad input.
 */
export function parseCliArgs(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'env': { type: 'string', default: 'stage' },
      'image-tag': { type: 'string' },
      'context': { type: 'string', short: 'c', multiple: true, default: [] },
      'parameters': { type: 'string', multiple: true, default: [] },
      'yes': { type: 'boolean', default: false },
    },
  })
  const [command, ...stacks] = positionals
  for (const entry of values.context) {
    if (!/^[A-Za-z][\w:@/-]*=.*$/.test(entry)) {
      throw new Error(`context must be key=value, got "${entry}"`)
    }
  }
  for (const entry of values.parameters) {
    if (!/^ngip-[\w-]+:[A-Za-z][A-Za-z0-9]*=.*$/.test(entry)) {
      throw new Error(`--parameters must be <stack>:<Key>=<value>, got "${entry}"`)
    }
  }
  const parsed = oneOf(command, COMMANDS, 'command')
  if (parsed === 'destroy' && values.env === 'prod' && stacks.length === 0) {
    throw new Error('destroy --env prod needs the stack names, one by one')
  }
  return {
    command: parsed,
    env: oneOf(values.env, ENV_NAMES, '--env'),
    imageTag: values['image-tag'],
    yes: values.yes,
    stacks,
    context: values.context,
    parameters: values.parameters,
  }
}

/**
 * Arguments of the aws-cdk CLI for one run; `app` is the command that
 * runs infra/bin/app.ts.
 */
export function cdkArgs(options: CliOptions, imageTag: string, app: string): string[] {
  const args = [options.command, '--app', app, '--output', 'cdk.out', '--no-notices']
  for (const entry of [`env=${options.env}`, `imageTag=${imageTag}`, ...options.context]) {
    args.push('-c', entry)
  }
  if (options.command === 'synth') {
    args.push('--quiet')
  }
  if (options.command === 'deploy' && options.yes) {
    args.push('--require-approval', 'never')
  }
  for (const entry of options.command === 'deploy' ? options.parameters : []) {
    args.push('--parameters', entry)
  }
  if (options.command === 'deploy' && options.stacks.length === 0) {
    // The environment's own stacks; the account's (shared, build host) are deployed by name.
    return [...args, `ngip-${options.env}-*`]
  }
  if (options.command === 'destroy') {
    // Only the environment's own stacks; the shared ECR and build host stay.
    args.push(...(options.yes ? ['--force'] : []))
    return [...args, ...(options.stacks.length > 0 ? options.stacks : [`ngip-${options.env}-*`])]
  }
  return [...args, ...options.stacks]
}
