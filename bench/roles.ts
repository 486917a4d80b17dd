import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { ensureBuild } from '../bin/build_cache.ts'
import { roleCommands, type RoleCommand } from '../bin/roles.ts'
import { startServer } from './processes.js'
import { bench } from './setup.js'

type RoleName = 'web' | 'ping' | 'worker' | 'scheduler'

let built: Promise<string> | undefined

function fullRole(name: RoleName, buildDir: string): RoleCommand {
  return roleCommands('full', buildDir).find((role) => role.name === name)!
}

/**
 * A role started as `pnpm start` starts it (bin/roles.ts, the supervisor's own list, from
 * the same compiled build, reused or made first), resolved once it prints `ready`.
 */
export async function startRole(
  name: RoleName,
  env: NodeJS.ProcessEnv,
  ready: string,
  nodeArgs: string[] = []
) {
  built ??= ensureBuild(bench.root)
  const role = fullRole(name, await built)
  // The build directory has no .env: like bin/start.ts, hand the checkout's on (what `env`
  // sets wins).
  const fromFile = checkoutEnv()
  // A fresh clone has no .env before its first `pnpm start`: the run makes do with its own key.
  const appKey = env.APP_KEY ?? fromFile.APP_KEY ?? randomBytes(32).toString('base64url')
  return startServer(
    [...nodeArgs, ...role.args],
    { ...fromFile, ...env, APP_KEY: appKey },
    ready,
    role.cwd
  )
}

/**
 * A setting as the roles see it: the environment, else the checkout's .env
 * (as `startRole` hands it on), else the code's default; printed with the figures.
 */
export function roleSetting(name: string, fallback: number | string) {
  return `${name}=${roleValue(name, fallback)}`
}

/** A setting's value as the roles get it (this environment, the checkout's .env, the default) */
export function roleValue(name: string, fallback: number | string) {
  return process.env[name] || checkoutEnv()[name] || String(fallback)
}

/** The checkout's .env, if it has one */
function checkoutEnv(): Record<string, string | undefined> {
  const dotenv = join(bench.root, '.env')
  return existsSync(dotenv) ? parseEnv(readFileSync(dotenv, 'utf8')) : {}
}

export function roleArgs(name: RoleName) {
  return fullRole(name, join(bench.root, 'build')).args.join(' ')
}

/** CPU time a process used so far (user + system), in seconds; 0 once it is gone. */
export function cpuSeconds(pid: number) {
  try {
    // Fields after the command name (which may hold spaces): state is the 3rd of /proc's.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

export function rssMb(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}
