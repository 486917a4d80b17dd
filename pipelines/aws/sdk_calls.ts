import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeTasksCommand, ECSClient, RunTaskCommand, type Task } from '@aws-sdk/client-ecs'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { AwsPort, TaskState } from '../lib/aws_port.ts'

type DeployCalls = Omit<AwsPort, 'ecrAuthorization' | 'instanceId' | 'stopInstance' | 'scaleIn'>

/** How many log lines a failed task shows. */
const LOG_LINES = 100

/** Where awslogs writes a task's container output: `<prefix>/<container>/<task id>`, prefix = family. */
function logStream(task: Task): string | undefined {
  const family = /task-definition\/([^:]+)/.exec(task.taskDefinitionArn ?? '')?.[1]
  const container = task.containers?.[0]?.name
  const id = task.taskArn?.split('/').pop()
  return family && container && id ? `${family}/${container}/${id}` : undefined
}

function taskState(task: Task): TaskState {
  const container = task.containers?.[0]
  const reasons = [task.stoppedReason, container?.reason].filter(Boolean)
  return {
    status: task.lastStatus ?? 'UNKNOWN',
    exitCode: container?.exitCode,
    reason: reasons.length > 0 ? reasons.join('; ') : undefined,
    logStream: logStream(task),
  }
}

/** The SDK clients, made on first use and kept. */
function clients(region: string) {
  const made = new Map<string, unknown>()
  const once = <T>(name: string, make: () => T): T => {
    if (!made.has(name)) {
      made.set(name, make())
    }
    return made.get(name) as T
  }
  return {
    cfn: () => once('cfn', () => new CloudFormationClient({ region })),
    ecs: () => once('ecs', () => new ECSClient({ region })),
    logs: () => once('logs', () => new CloudWatchLogsClient({ region })),
    secrets: () => once('secrets', () => new SecretsManagerClient({ region })),
    ssm: () => once('ssm', () => new SSMClient({ region })),
  }
}

/** The calls of a deploy: stack outputs, one-off tasks, their logs, secrets, parameters. */
export function deployCalls(region: string): DeployCalls {
  const sdk = clients(region)
  return {
    async stackOutputs(stack, names) {
      const answer = await sdk.cfn().send(new DescribeStacksCommand({ StackName: stack }))
      const outputs = answer.Stacks?.[0]?.Outputs ?? []
      const values = Object.fromEntries(
        outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])
      )
      const missing = names.filter((name) => !values[name])
      if (missing.length > 0) {
        throw new Error(`stack ${stack} has no output ${missing.join(', ')}; is it deployed?`)
      }
      return values
    },
    async runTask(launch) {
      const answer = await sdk.ecs().send(
        new RunTaskCommand({
          cluster: launch.cluster,
          taskDefinition: launch.taskDefinition,
          launchType: 'FARGATE',
          count: 1,
          startedBy: 'ngip-pipeline',
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: launch.subnets,
              securityGroups: launch.securityGroups,
              assignPublicIp: 'DISABLED',
            },
          },
        })
      )
      const arn = answer.tasks?.[0]?.taskArn
      if (!arn) {
        const failure = answer.failures?.[0]
        throw new Error(`ECS started no task: ${failure?.reason ?? 'no reason given'}`)
      }
      return arn
    },
    async describeTask(cluster, taskArn) {
      const answer = await sdk.ecs().send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))
      const task = answer.tasks?.[0]
      if (!task) {
        throw new Error(`ECS does not know task ${taskArn}: ${answer.failures?.[0]?.reason}`)
      }
      return taskState(task)
    },
    async logTail(group, stream) {
      const answer = await sdk
        .logs()
        .send(
          new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: LOG_LINES })
        )
      return (answer.events ?? []).map((event) => (event.message ?? '').trimEnd())
    },
    async secretValue(secretId) {
      const answer = await sdk.secrets().send(new GetSecretValueCommand({ SecretId: secretId }))
      return answer.SecretString ?? ''
    },
    async parameter(name) {
      try {
        const answer = await sdk.ssm().send(new GetParameterCommand({ Name: name }))
        return answer.Parameter?.Value
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') {
          return undefined
        }
        throw error
      }
    },
    async putParameter(name, value) {
      await sdk
        .ssm()
        .send(
          new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true })
        )
    },
  }
}
