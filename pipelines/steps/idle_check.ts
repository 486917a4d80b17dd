import type { Activity, Clock } from '../lib/activity.ts'
import type { Tools } from '../lib/tools.ts'

export interface IdleConfig {
  minutes: number
  stopWith: 'shutdown' | 'ec2' | 'asg'
  instanceId?: string
  /** The build host's Auto Scaling group, for `asg`. */
  group?: string
}

export interface IdleDeps {
  activity: Activity
  clock: Clock
  /** Seconds since the host booted (/proc/uptime). */
  uptime: () => number
}

export type IdleVerdict = 'running' | 'unreadable' | 'recent' | 'young' | 'stopped'

function verdict(config: IdleConfig, deps: IdleDeps): { verdict: IdleVerdict; why: string } {
  const limitMs = config.minutes * 60_000
  const { running, last, unreadable } = deps.activity.read()
  if (running.length > 0) {
    return { verdict: 'running', why: `a pipeline is running (pid ${running.join(', ')})` }
  }
  if (unreadable.length > 0) {
    return { verdict: 'unreadable', why: `cannot read ${unreadable.join(', ')}` }
  }
  const idleMs = last === undefined ? Number.POSITIVE_INFINITY : deps.clock() - last
  if (idleMs < limitMs) {
    return { verdict: 'recent', why: `last activity ${Math.round(idleMs / 60_000)} min ago` }
  }
  if (deps.uptime() * 1000 < limitMs) {
    return { verdict: 'young', why: `up for ${Math.round(deps.uptime() / 60)} min only` }
  }
  return { verdict: 'stopped', why: `idle for ${config.minutes} min or more` }
}

/**
 * idle-check, run every few minutes on the build host: stops the host only
 * when no pipeline runs, every activity mark could be read, the last
 * activity is older than N minutes and the host has been up N minutes. `shutdown -h` stops an EC2 instance whose
 * shutdown behaviour is "stop"; `--stop-with ec2` calls StopInstances;
 * `--stop-with asg` scales the build host's Auto Scaling group in to zero
 * (its warm pool keeps the instance stopped).
 */
export async function idleCheck(
  tools: Tools,
  config: IdleConfig,
  deps: IdleDeps
): Promise<IdleVerdict> {
  const result = verdict(config, deps)
  tools.log.line(
    `idle-check: ${result.why}; ${result.verdict === 'stopped' ? 'stopping the host' : 'keeping the host up'}`
  )
  if (result.verdict !== 'stopped') {
    return result.verdict
  }
  await stop(tools, config)
  return result.verdict
}

async function stop(tools: Tools, config: IdleConfig) {
  if (config.stopWith === 'shutdown') {
    await tools.$`shutdown -h now`
  } else if (config.stopWith === 'asg') {
    if (!config.group) {
      throw new Error(
        '--stop-with asg needs BUILD_HOST_GROUP, the Auto Scaling group of the build host'
      )
    }
    await tools.aws.scaleIn(config.group)
  } else {
    await tools.aws.stopInstance(config.instanceId ?? (await tools.aws.instanceId()))
  }
}
