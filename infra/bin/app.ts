import { App } from 'aws-cdk-lib'
import { readFileSync } from 'node:fs'
import { type NgipConfig, type RawConfig, resolveConfig } from '../lib/config.js'
import { buildNgip } from '../lib/ngip_app.js'

/**
 * CDK entry point, the only place that reads context: `-c env=stage|prod`,
 * `-c imageTag=<sha>`, `-c zoneName=`, `-c zoneId=`, `-c domain=`,
 * `-c alarmEmail=`.
 */
const app = new App()

function context(key: keyof RawConfig): string | undefined {
  const value: unknown = app.node.tryGetContext(key)
  return value === undefined || value === null ? undefined : String(value)
}

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
const keys = ['env', 'imageTag', 'zoneName', 'zoneId', 'domain', 'alarmEmail'] as const
const raw: RawConfig = { packageManager: packageJson.packageManager }
for (const key of keys) {
  raw[key] = context(key)
}

function config(): NgipConfig {
  try {
    return resolveConfig(raw)
  } catch (error) {
    console.error(`infra: ${(error as Error).message}`)
    process.exit(1)
  }
}

buildNgip(app, config())
app.synth()
