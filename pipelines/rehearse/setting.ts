import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort, type LocalRegistry } from '../lib/local_registry.ts'
import type { Secrets } from '../lib/secrets.ts'

export interface RehearsalSetting {
  /** Prefix of every Docker name the rehearsal makes. */
  project: string
  stateDir: string
  /** What the build host agent's runs get: the host target on this engine, the local registry. */
  env: NodeJS.ProcessEnv
}

/** APP_KEY and the database password of each environment, as files (never printed). */
async function writeSecrets(dir: string, secrets: Secrets) {
  for (const env of ['stage', 'prod']) {
    await mkdir(join(dir, env), { recursive: true, mode: 0o700 })
    for (const name of ['app_key', 'db_password']) {
      const value = randomBytes(24).toString('base64url')
      secrets.add(value)
      await writeFile(join(dir, env, name), `${value}\n`, { mode: 0o600 })
    }
  }
}

/**
 * The build host as the rehearsal plays it: its state folder, secrets and
 * ports of its own (so a rehearsal runs beside tests and `pnpm start`), the
 * host deploy target on this machine's engine, images pushed to the local
 * registry. The test stage runs the unit suite (`build` already ran lint and
 * types; the whole suite runs before the rehearsal in CI).
 */
export async function rehearsalSetting(
  dir: string,
  registry: LocalRegistry,
  secrets: Secrets
): Promise<RehearsalSetting> {
  const project = `ngiprh${process.pid}`
  const stateDir = join(dir, 'state')
  const secretsDir = join(dir, 'secrets')
  await writeSecrets(secretsDir, secrets)
  const [stageWeb, stagePing, prodWeb, prodPing] = await Promise.all(
    [1, 2, 3, 4].map(() => freePort())
  )
  secrets.add(registry.password)
  return {
    project,
    stateDir,
    env: {
      ...process.env,
      NGIP_DEPLOY_TARGET: 'host',
      NGIP_HOST_PROJECT: project,
      NGIP_HOST_STAGE_PORTS: `${stageWeb},${stagePing}`,
      NGIP_HOST_PROD_PORTS: `${prodWeb},${prodPing}`,
      NGIP_HOST_SECRETS_DIR: secretsDir,
      NGIP_PIPELINE_STATE_DIR: stateDir,
      NGIP_WORK_DIR: join(dir, 'work'),
      NGIP_REGISTRY: registry.host,
      NGIP_REGISTRY_USERNAME: registry.username,
      NGIP_REGISTRY_PASSWORD: registry.password,
      NGIP_PIPELINE_TEST_ARGS: 'unit',
      DB_DATABASE: `ngip_test_${project}`,
      // The agent's `pnpm test` claims a Redis database of its own (bin/test_scope.ts).
      REDIS_DB: undefined,
      NGIP_PIPELINE_PING_URL: '',
    },
  }
}
