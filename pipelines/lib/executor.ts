import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import type { ChildProcess, spawn } from 'node:child_process'
import { $, type LogEntry, type Shell } from 'zx'
import type { Log } from './log.ts'
import type { Plan } from './plan.ts'

/**
 * What steps run commands with: a zx `$` preset. Steps never use the global
 * `$`, `cd()` or process.env; the preset carries the working directory and
 * the environment.
 */
export type Executor = Shell

export interface ExecutorOptions {
  cwd: string
  env: NodeJS.ProcessEnv
}

/**
 * zx's log hook: prints each command before it runs and streams its output,
 * every line masked.
 */
function zxLog(log: Log) {
  return (entry: LogEntry) => {
    if (entry.kind === 'cmd') {
      log.line(`$ ${entry.cmd}`)
    } else if (entry.kind === 'stdout' || entry.kind === 'stderr') {
      if (entry.verbose) {
        log.write(entry.data.toString())
      }
    }
  }
}

/** The executor that runs commands for real. */
export function realExecutor(log: Log, options: ExecutorOptions): Executor {
  return $({ ...options, verbose: true, quiet: false, log: zxLog(log) })
}

/**
 * A stand-in for child_process.spawn that records the command line and
 * answers as a command that printed nothing and exited 0.
 */
function recordingSpawn(plan: Plan): typeof spawn {
  return ((command: string) => {
    plan.record(`$ ${command}`)
    const [stdout, stderr] = [new PassThrough(), new PassThrough()]
    const child = Object.assign(new EventEmitter(), { stdin: new PassThrough(), stdout, stderr })
    setImmediate(() => {
      stdout.end()
      stderr.end()
      child.emit('exit', 0, null)
      child.emit('close', 0, null)
    })
    return child as unknown as ChildProcess
  }) as unknown as typeof spawn
}

/** The dry-run executor: zx quotes the command as usual, nothing runs. */
export function planExecutor(plan: Plan, options: ExecutorOptions): Executor {
  return $({
    ...options,
    prefix: '',
    quiet: true,
    verbose: false,
    spawn: recordingSpawn(plan),
    log: () => {},
  })
}
