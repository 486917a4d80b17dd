import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StackSecrets } from '../lib/stack.ts'
import type { Environment } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'
import type { HostSettings } from './settings.ts'

/** Each secret: its file under `<secretsDir>/<env>/` and its field. */
const SECRETS = [
  { file: 'app_key', field: 'appKey' },
  { file: 'db_password', field: 'dbPassword' },
] as const

function lookUp(settings: HostSettings, env: Environment, file: string) {
  const variable = `NGIP_${env.toUpperCase()}_${file.toUpperCase()}`
  const path = join(settings.secretsDir, env, file)
  const fromEnv = settings.environment[variable]?.trim()
  if (fromEnv) {
    return { value: fromEnv, variable, path }
  }
  try {
    return { value: readFileSync(path, 'utf8').trim(), variable, path }
  } catch {
    return { value: '', variable, path }
  }
}

/**
 * An environment's APP_KEY and database password, from NGIP_<ENV>_APP_KEY /
 * NGIP_<ENV>_DB_PASSWORD or from one file each; registered with the log's
 * mask at once. A missing one stops the run before the engine is touched.
 * A dry run goes on with placeholders and says what a real run would miss.
 */
export function readSecrets(tools: Tools, settings: HostSettings, env: Environment): StackSecrets {
  const found = SECRETS.map((secret) => ({
    ...secret,
    ...lookUp(settings, env, secret.file),
  }))
  for (const secret of found) {
    tools.log.secrets.add(secret.value)
  }
  const missing = found.filter((secret) => !secret.value)
  if (missing.length > 0) {
    const which = missing.map((s) => `${env}/${s.file} (set ${s.variable} or write ${s.path})`)
    if (!tools.plan) {
      throw new Error(`missing secret ${which.join(', ')}: nothing was changed`)
    }
    tools.log.line(`host: dry run: a real run would stop here: missing ${which.join(', ')}`)
  }
  const value = (field: string) => found.find((s) => s.field === field)!.value || '(dry run)'
  return { appKey: value('appKey'), dbPassword: value('dbPassword') }
}
