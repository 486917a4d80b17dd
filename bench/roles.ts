import { readFileSync } from 'node:fs'
import { roleCommand, type RoleName } from '../bin/roles.ts'
import { startServer } from './processes.js'

/**
 * A role started as `pnpm start` starts it (bin/roles.ts, the supervisor's
 * own list), resolved once it prints `ready`.
 */
export function startRole(name: RoleName, env: NodeJS.ProcessEnv, ready: string) {
  return startServer(roleCommand(name).args, env, ready)
}

export function roleArgs(name: RoleName) {
  return roleCommand(name).args.join(' ')
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
