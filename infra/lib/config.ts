import { ENV_SIZING, type EnvSizing } from './env_sizing.js'

export const ENV_NAMES = ['stage', 'prod'] as const
export type EnvName = (typeof ENV_NAMES)[number]

/**
 * Settings as they arrive from CDK context: untyped strings, any of them missing.
 */
export interface RawConfig {
  env?: string
  imageTag?: string
  zoneName?: string
  zoneId?: string
  domain?: string
  alarmEmail?: string
  /** `packageManager` of package.json, e.g. `pnpm@12.21.0`. */
  packageManager?: string
}

export interface DnsConfig {
  zoneName: string
  zoneId: string
  /** Base domain of the environment; the web app answers on it. */
  appHost: string
  pingHost: string
}

/**
 * Settings shared by every environment of the account (ECR, build host).
 */
export interface AccountConfig {
  repositoryName: string
  buildHostGroupName: string
  buildHostInstanceType: string
  buildHostIdleMinutes: number
  pnpmVersion: string
}

export interface NgipConfig extends EnvSizing {
  envName: EnvName
  /** Prefix of stack and resource names, e.g. `ngip-stage`. */
  prefix: string
  imageTag: string
  dns: DnsConfig
  alarmEmail?: string
  account: AccountConfig
}

export const DEFAULT_ZONE_NAME = 'ngip.example.com'
export const DEFAULT_ZONE_ID = 'Z0123456789EXAMPLE'

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PNPM = /^pnpm@(\d+\.\d+\.\d+)$/

function check(value: string, pattern: RegExp, name: string): string {
  if (!pattern.test(value)) {
    throw new Error(`Invalid ${name}: "${value}"`)
  }
  return value
}

function envName(raw: string | undefined): EnvName {
  const value = raw ?? 'stage'
  if (!(ENV_NAMES as readonly string[]).includes(value)) {
    throw new Error(`Unknown env "${value}", expected one of: ${ENV_NAMES.join(', ')}`)
  }
  return value as EnvName
}

function dnsConfig(raw: RawConfig, env: EnvName): DnsConfig {
  const zoneName = check(raw.zoneName ?? DEFAULT_ZONE_NAME, HOSTNAME, 'zoneName')
  const fallback = env === 'prod' ? zoneName : `${env}.${zoneName}`
  const appHost = check(raw.domain ?? fallback, HOSTNAME, 'domain')
  if (appHost !== zoneName && !appHost.endsWith(`.${zoneName}`)) {
    throw new Error(`Invalid domain: "${appHost}" is not inside the hosted zone "${zoneName}"`)
  }
  return {
    zoneName,
    zoneId: check(raw.zoneId ?? DEFAULT_ZONE_ID, ZONE_ID, 'zoneId'),
    appHost,
    pingHost: `ping.${appHost}`,
  }
}

function pnpmVersion(packageManager: string | undefined): string {
  const match = PNPM.exec(packageManager ?? '')
  if (!match) {
    throw new Error(`Invalid packageManager: "${packageManager}", expected pnpm@x.y.z`)
  }
  return match[1]
}

function optional(value: string | undefined, pattern: RegExp, name: string) {
  return value === undefined || value === '' ? undefined : check(value, pattern, name)
}

/**
 * Validates raw context into the typed configuration of one environment.
 * Throws with a one-line message on the first invalid setting.
 */
export function resolveConfig(raw: RawConfig): NgipConfig {
  const env = envName(raw.env)
  return {
    ...ENV_SIZING[env],
    envName: env,
    prefix: `ngip-${env}`,
    imageTag: check(raw.imageTag ?? 'latest', IMAGE_TAG, 'imageTag'),
    dns: dnsConfig(raw, env),
    alarmEmail: optional(raw.alarmEmail, EMAIL, 'alarmEmail'),
    account: {
      repositoryName: 'ngip',
      buildHostGroupName: 'ngip-build-host',
      buildHostInstanceType: 't3.large',
      buildHostIdleMinutes: 30,
      pnpmVersion: pnpmVersion(raw.packageManager),
    },
  }
}
