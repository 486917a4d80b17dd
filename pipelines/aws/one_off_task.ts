import { seconds } from '../lib/log.ts'
import type { TaskState } from '../lib/aws_port.ts'
import type { Tools } from '../lib/tools.ts'

/** The one-off tasks of the jobs stack: migrations on every deploy, setup on the first. */
export type Job = 'migrate' | 'setup'

/** What the jobs stack's outputs say about where and how its tasks run. */
export interface Jobs {
  cluster: string
  subnets: string[]
  securityGroup: string
  tasks: Record<Job, { taskDefinition: string; logGroup: string }>
  /** The secret that holds the API key of the smoke tests, once setup made one. */
  apiKeySecret: string
}

export interface WaitOptions {
  /** Time between two DescribeTasks. */
  pollMs: number
  /** How long a task may run before the deploy gives up on it. */
  timeoutMs: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitStopped(tools: Tools, jobs: Jobs, arn: string, wait: WaitOptions) {
  const deadline = Date.now() + wait.timeoutMs
  for (;;) {
    const state = await tools.aws.describeTask(jobs.cluster, arn)
    if (state.status === 'STOPPED') {
      return state
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the task is still ${state.status} after ${seconds(wait.timeoutMs)}; the services were not touched`
      )
    }
    await sleep(wait.pollMs)
  }
}

/** Prints the end of the task's log, which says why it failed. */
async function printLog(tools: Tools, job: Job, group: string, state: TaskState) {
  if (!state.logStream) {
    tools.log.line(`${job}: the task left no log (${state.reason ?? 'it may not have started'})`)
    return
  }
  const lines = await tools.aws.logTail(group, state.logStream).catch((error: Error) => {
    tools.log.line(`${job}: its log ${group} ${state.logStream} is unreadable: ${error.message}`)
    return []
  })
  tools.log.line(`${job}: the end of its log (${group} ${state.logStream}):`)
  for (const line of lines) {
    tools.log.line(`  | ${line}`)
  }
}

function failure(state: TaskState): string {
  return state.exitCode === undefined
    ? `stopped without an exit code (${state.reason ?? 'no reason given'})`
    : `exited ${state.exitCode}`
}

/**
 * Runs one job of the jobs stack to its end (RunTask, then DescribeTasks
 * until STOPPED). Anything but exit code 0 prints the task's log and throws
 * one line; nothing else has been changed by then.
 */
export async function runJob(tools: Tools, jobs: Jobs, job: Job, wait: WaitOptions) {
  const started = Date.now()
  const arn = await tools.aws.runTask({
    cluster: jobs.cluster,
    taskDefinition: jobs.tasks[job].taskDefinition,
    subnets: jobs.subnets,
    securityGroups: [jobs.securityGroup],
  })
  const id = arn.split('/').pop()
  tools.log.line(`${job}: task ${id} started on ${jobs.cluster}`)
  const state = await waitStopped(tools, jobs, arn, wait).catch((error: Error) => {
    throw new Error(`${job} task ${id}: ${error.message}`)
  })
  if (state.exitCode === 0) {
    tools.log.line(`${job}: task ${id} exited 0 after ${seconds(Date.now() - started)}`)
    return
  }
  await printLog(tools, job, jobs.tasks[job].logGroup, state)
  throw new Error(`${job} task ${id} ${failure(state)}; the services were not touched`)
}

/** The outputs of `ngip-<env>-jobs` that running its tasks needs. */
export const JOBS_OUTPUTS = [
  'ClusterName',
  'SubnetIds',
  'SecurityGroupId',
  'MigrateTaskDefinitionArn',
  'MigrateLogGroupName',
  'SetupTaskDefinitionArn',
  'SetupLogGroupName',
  'ApiKeySecretArn',
] as const

export async function readJobs(tools: Tools, stack: string): Promise<Jobs> {
  const out = await tools.aws.stackOutputs(stack, JOBS_OUTPUTS)
  return {
    cluster: out.ClusterName,
    subnets: out.SubnetIds.split(','),
    securityGroup: out.SecurityGroupId,
    tasks: {
      migrate: { taskDefinition: out.MigrateTaskDefinitionArn, logGroup: out.MigrateLogGroupName },
      setup: { taskDefinition: out.SetupTaskDefinitionArn, logGroup: out.SetupLogGroupName },
    },
    apiKeySecret: out.ApiKeySecretArn,
  }
}
