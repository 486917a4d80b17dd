/*
|--------------------------------------------------------------------------
| How each role is started, in one place
|--------------------------------------------------------------------------
|
| `pnpm start` (bin/start.ts) and the whole-platform benchmark start roles
| from this list, so both measure and run the same commands. Two modes:
|
| - full: web, ping (the edge), worker and scheduler, one process each,
|   and smtpd (email pings) when PING_EMAIL_DOMAIN is set.
| - small: one app process (web, worker and scheduler: bin/all_in_one.ts)
|   and the edge in its own small process, so pings are still taken while
|   the app restarts. Email pings run in the edge's process: they need what
|   it has (Redis, the Token set, no PostgreSQL) and must outlive the app's
|   restarts too, and one process fewer keeps the mode small.
|
| Commands run compiled JavaScript from the build directory (bin/build_cache.ts).
|
*/

import { spawn, type StdioOptions } from 'node:child_process'

export type Mode = 'full' | 'small'

export interface RoleCommand {
  name: string
  /** Node arguments, relative to `cwd` */
  args: string[]
  cwd: string
}

/**
 * A small young generation and one V8 thread keep the edge's memory low; a capped old
 * generation keeps it low under one connection a ping (sockets promoted, then collected
 * late: 95-97 MB anonymous against 48 with the cap, no slower) and under thousands of
 * connections (4,000 keep-alive: 112 MB against 647 MB, at 0.7 of the uncapped req/s).
 */
const EDGE_FLAGS = ['--max-semi-space-size=1', '--single-threaded', '--max-old-space-size=40']

/**
 * The app's roles idle on a few MB of new objects, yet Node 24 sizes the
 * young generation from the machine's memory (64 MB committed here): smaller
 * semi-spaces are collected more often and keep ~25 MB per process out of
 * its resident set. The worker keeps more room for ingest batches.
 */
const appFlags = (semiSpaceMb: number) => [`--max-semi-space-size=${semiSpaceMb}`]

/** Email pings are on when their domain is set (PING_EMAIL_DOMAIN). */
export function emailPingsOn(env: NodeJS.ProcessEnv) {
  return Boolean(env.PING_EMAIL_DOMAIN)
}

export function roleCommands(
  mode: Mode,
  buildDir: string,
  env: NodeJS.ProcessEnv = {}
): RoleCommand[] {
  const role = (name: string, args: string[]) => ({ name, args, cwd: buildDir })
  const email = emailPingsOn(env)
  if (mode === 'small') {
    const edgeArgs = email ? ['ping/main.js', '--with-smtpd'] : ['ping/main.js']
    return [
      role('app', [...appFlags(8), 'bin/all_in_one.js']),
      role('ping', [...EDGE_FLAGS, ...edgeArgs]),
    ]
  }
  return [
    role('web', [...appFlags(4), 'bin/server.js']),
    role('ping', [...EDGE_FLAGS, 'ping/main.js']),
    role('worker', [...appFlags(8), 'ace.js', 'worker:run']),
    role('scheduler', [...appFlags(2), 'ace.js', 'scheduler:run']),
    ...(email ? [role('smtpd', [...EDGE_FLAGS, 'ping/smtpd/main.js'])] : []),
  ]
}

/** Starts one role as a child of this process, with this Node. */
export function spawnRole(
  role: RoleCommand,
  env: NodeJS.ProcessEnv,
  stdio: StdioOptions = ['ignore', 'pipe', 'pipe']
) {
  return spawn(process.execPath, role.args, { cwd: role.cwd, env, stdio })
}

/** The one-shot database setup (created, migrated, seeded once), printing JSON. */
export function setupCommand(buildDir: string): RoleCommand {
  return { name: 'setup', args: ['ace.js', 'ngip:setup', '--json'], cwd: buildDir }
}

/**
 * `pnpm start --small` or NGIP_MODE=small; anything else NGIP_MODE says
 * is refused rather than guessed.
 */
export function modeFrom(argv: string[], env: NodeJS.ProcessEnv): Mode {
  if (argv.includes('--small')) {
    return 'small'
  }
  const mode = env.NGIP_MODE || 'full'
  if (mode !== 'full' && mode !== 'small') {
    throw new Error(
      `bad setting: NGIP_MODE must be "full" or "small", got "${mode}"; fix it in .env`
    )
  }
  return mode
}

export const MODE_LINES: Record<Mode, string> = {
  full: 'ngip: full mode: web, ping, worker and scheduler, one process each',
  small: 'ngip: small mode: one app process (web, worker, scheduler) and the ping edge',
}
