import { seconds } from '../lib/log.ts'
import { stackServices, type StackSecrets } from '../lib/stack.ts'
import { showLogs } from '../steps/stack_run.ts'
import type { HostRun } from './run.ts'
import type { Credentials } from './state.ts'

/**
 * The app's environment in this deployment: the docker-test stack's, with the
 * public URLs, and the environment's network as its trusted proxies: the
 * proxy in front is on it (and only this environment's containers are), so
 * X-Forwarded-For from there names the real client for sign-in throttling
 * and stored ping sources, and the proxy may be replaced on any address. One host shares its cores between serving and deploying (a new
 * colour booting beside the live one), and a ping the edge answers 503 after
 * its Redis wait may still have been enqueued, so curl's retry stores it twice:
 * the edge waits for a stalled Redis up to 1 s here, not 100 ms (a Redis that
 * is down is still answered at once).
 */
export async function appEnv(run: HostRun, secrets: StackSecrets): Promise<Record<string, string>> {
  const web = stackServices(secrets).find((service) => service.name === 'web')!
  const urls = run.settings.envs[run.env]
  const subnets = await run.tools.docker.networkSubnets(run.names.network)
  return {
    ...web.env,
    APP_URL: urls.appUrl,
    PING_URL: urls.pingUrl,
    PING_REDIS_TIMEOUT_MS: '1000',
    TRUSTED_PROXIES: subnets.join(','),
  }
}

/** The JSON line `setup --json` prints (a password only on the first deploy), masked at once. */
function credentialsIn(run: HostRun, output: string): Partial<Credentials> | undefined {
  const line = output.split('\n').find((text) => text.startsWith('{"email"'))
  const credentials = line ? (JSON.parse(line) as Partial<Credentials>) : undefined
  run.tools.log.secrets.add(credentials?.apiKey, credentials?.password)
  return credentials
}

/**
 * The one-off migrate: the image's `setup`, which migrates the database and,
 * the first time, makes the admin and the API key (kept in the storage
 * volume, so every later run prints the same). Nothing else has changed
 * when it fails.
 */
export async function migrate(
  run: HostRun,
  image: string,
  secrets: StackSecrets
): Promise<Partial<Credentials>> {
  const { docker } = run.tools
  const name = run.names.migrate
  const started = Date.now()
  await docker.remove([name], [])
  run.say(`migrating ${run.env} with ${image}`)
  await docker.run({
    name,
    image,
    command: ['setup', '--json'],
    env: await appEnv(run, secrets),
    network: run.names.network,
    alias: name,
    labels: run.labels,
    healthcheck: 'none',
    mounts: { [run.names.volumes.storage]: '/app/storage' },
  })
  try {
    const code = await docker.wait(name)
    const credentials = credentialsIn(run, await docker.logs(name, 1000))
    if (code !== 0) {
      await showLogs(run.tools, [name])
      throw new Error(`the migration failed (${name} exited with ${code})`)
    }
    if (!credentials && !run.tools.plan) {
      throw new Error(`${name} printed no credentials`)
    }
    run.say(`migrated in ${seconds(Date.now() - started)}`)
    return credentials ?? { email: '', password: '', apiKey: '(dry run)' }
  } finally {
    await docker.remove([name], [])
  }
}
