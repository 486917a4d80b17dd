import { execFileSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { cdkArgs, type CliOptions, parseCliArgs, USAGE } from './cli/args.js'
import { hasAwsCredentials } from './cli/aws_credentials.js'

/**
 * `pnpm infra synth|diff|deploy [--env stage|prod]`: runs the aws-cdk CLI on
 * infra/bin/app.ts with the environment and image tag as context.
 */
const INFRA_DIR = fileURLToPath(new URL('.', import.meta.url))
const CDK_BIN = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk')

function fail(message: string, code = 1): never {
  console.error(`infra: ${message}`)
  process.exit(code)
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim()
  } catch {
    return 'latest'
  }
}

function runCdk(options: CliOptions): Promise<number> {
  const app = `${JSON.stringify(process.execPath)} --import tsx bin/app.ts`
  const args = cdkArgs(options, options.imageTag ?? currentCommit(), app)
  const child = spawn(process.execPath, [CDK_BIN, ...args], {
    cwd: INFRA_DIR,
    stdio: 'inherit',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
}

async function main() {
  let options: CliOptions
  try {
    options = parseCliArgs(process.argv.slice(2))
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2)
  }
  if (options.command !== 'synth' && !(await hasAwsCredentials())) {
    fail(
      `${options.command} needs AWS credentials and none are configured (AWS_PROFILE, AWS_ACCESS_KEY_ID or an instance role)`
    )
  }
  const started = Date.now()
  const code = await runCdk(options)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (code !== 0) {
    fail(`cdk ${options.command} for ${options.env} failed (exit ${code}) after ${seconds} s`, code)
  }
  console.log(`infra: cdk ${options.command} for ${options.env} done in ${seconds} s`)
}

await main()
