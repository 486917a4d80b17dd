import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Environment, StagePass } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'
import type { HostSettings } from './settings.ts'

/** What the first deploy's setup made: the admin's login and the API key the smoke test uses. */
export interface Credentials {
  email: string
  password: string
  apiKey: string
}

function credentialsPath(settings: HostSettings, env: Environment) {
  return join(settings.stateDir, 'host', `${settings.project}-${env}-credentials.json`)
}

function stagePassPath(settings: HostSettings) {
  return join(settings.stateDir, 'host', `${settings.project}-stage-pass.json`)
}

/** Writes a file only its owner reads (a dry run says so instead). */
async function writePrivate(tools: Tools, path: string, value: unknown) {
  if (tools.plan) {
    tools.plan.record(`write ${path} (mode 0600)`)
    return
  }
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 })
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 })
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch {
    return undefined
  }
}

/**
 * Records what setup printed over what an earlier deploy recorded: setup
 * prints the admin's password only when it makes the admin, so the first
 * deploy's stays here (never printed) while later deploys add nothing.
 */
export async function saveCredentials(
  tools: Tools,
  settings: HostSettings,
  env: Environment,
  printed: Partial<Credentials>
): Promise<Credentials> {
  const path = credentialsPath(settings, env)
  const previous = tools.plan ? undefined : await readJson<Credentials>(path)
  const merged = { email: '', password: '', apiKey: '', ...previous, ...printed }
  await writePrivate(tools, path, merged)
  return merged
}

/** The stored credentials, registered with the log's mask. */
export async function loadCredentials(tools: Tools, settings: HostSettings, env: Environment) {
  const path = credentialsPath(settings, env)
  const credentials = await readJson<Credentials>(path)
  if (!credentials && !tools.plan) {
    throw new Error(`no credentials of ${env} in ${path}: deploy ${env} from this machine first`)
  }
  tools.log.secrets.add(credentials?.password, credentials?.apiKey)
  return credentials ?? { email: '', password: '', apiKey: '(dry run)' }
}

export async function saveStagePass(tools: Tools, settings: HostSettings, pass: StagePass) {
  await writePrivate(tools, stagePassPath(settings), pass)
}

export function loadStagePass(settings: HostSettings) {
  return readJson<StagePass>(stagePassPath(settings))
}

export { credentialsPath }
