import { mockClient } from 'aws-sdk-client-mock'
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { PipelineConfig } from '../../../pipelines/config.ts'
import { planExecutor } from '../../../pipelines/lib/executor.ts'
import { Plan } from '../../../pipelines/lib/plan.ts'
import { realTools } from '../../../pipelines/lib/tools.ts'
import { capturedLog } from './pipeline.ts'

/** One DescribeTasks answer of a task: its status and, once stopped, its exit code. */
export interface TaskStep {
  status: string
  exitCode?: number
  reason?: string
}

export interface FakeAccount {
  outputs: Record<string, Record<string, string>>
  /** What DescribeTasks answers, call after call, per task definition (the last repeats). */
  tasks: Record<string, TaskStep[]>
  logs: string[]
  secrets: Record<string, string>
  parameters: Record<string, string>
}

export const JOBS_OUTPUTS = {
  ClusterName: 'ngip-stage-jobs',
  SubnetIds: 'subnet-a,subnet-b',
  SecurityGroupId: 'sg-jobs',
  MigrateTaskDefinitionArn:
    'arn:aws:ecs:eu-west-1:123456789012:task-definition/ngip-stage-migrate:7',
  MigrateLogGroupName: 'ngip-stage-jobs-MigrateTaskLogs-abc',
  SetupTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/ngip-stage-setup:7',
  SetupLogGroupName: 'ngip-stage-jobs-SetupTaskLogs-def',
  ApiKeySecretArn:
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ngip-stage/pipeline-api-key-x',
}

/** A stage (and prod) that has been deployed before: its outputs and its API key. */
export function deployedAccount(): FakeAccount {
  const prodJobs = Object.fromEntries(
    Object.entries(JOBS_OUTPUTS).map(([key, value]) => [key, value.replaceAll('stage', 'prod')])
  )
  return {
    outputs: {
      'ngip-stage-jobs': JOBS_OUTPUTS,
      'ngip-prod-jobs': prodJobs,
      'ngip-stage-app': { AppUrl: 'https://stage.ngip.example.com' },
      'ngip-stage-ping': { PingUrl: 'https://ping.stage.ngip.example.com' },
    },
    tasks: {},
    logs: [],
    secrets: {
      [JOBS_OUTPUTS.ApiKeySecretArn]: 'ngip_MQ.stage-key-secret-value',
      [prodJobs.ApiKeySecretArn]: 'ngip_Mg.prod-key-secret-value',
    },
    parameters: {},
  }
}

function describe(account: FakeAccount, arn: string, definition: string, seen: number) {
  const steps = account.tasks[definition] ?? [{ status: 'STOPPED', exitCode: 0 }]
  const step = steps[Math.min(seen, steps.length - 1)]
  return {
    taskArn: arn,
    lastStatus: step.status,
    taskDefinitionArn: definition,
    stoppedReason: step.reason,
    containers: [{ name: 'app', exitCode: step.exitCode }],
  }
}

function mockEcs(account: FakeAccount, say: (line: string) => void) {
  const ecs = mockClient(ECSClient)
  const definitions = new Map<string, string>()
  const seen = new Map<string, number>()
  ecs.on(RunTaskCommand).callsFake((input) => {
    say(`aws ecs RunTask ${input.taskDefinition}`)
    const arn = `arn:aws:ecs:eu-west-1:123456789012:task/${input.cluster}/task${definitions.size + 1}`
    definitions.set(arn, input.taskDefinition)
    return { tasks: [{ taskArn: arn }], failures: [] }
  })
  ecs.on(DescribeTasksCommand).callsFake((input) => {
    const arn = input.tasks[0]
    say(`aws ecs DescribeTasks ${arn}`)
    seen.set(arn, (seen.get(arn) ?? -1) + 1)
    return { tasks: [describe(account, arn, definitions.get(arn)!, seen.get(arn)!)] }
  })
  return ecs
}

function mockRest(account: FakeAccount, say: (line: string) => void) {
  const cfn = mockClient(CloudFormationClient)
  cfn.on(DescribeStacksCommand).callsFake(({ StackName }) => {
    say(`aws cloudformation DescribeStacks ${StackName}`)
    const outputs = account.outputs[StackName]
    if (!outputs) {
      throw Object.assign(new Error(`Stack with id ${StackName} does not exist`), {
        name: 'ValidationError',
      })
    }
    const list = Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
      OutputKey,
      OutputValue,
    }))
    return { Stacks: [{ StackName, Outputs: list }] }
  })
  const logs = mockClient(CloudWatchLogsClient)
  logs.on(GetLogEventsCommand).callsFake(({ logGroupName, logStreamName }) => {
    say(`aws logs GetLogEvents ${logGroupName} ${logStreamName}`)
    return { events: account.logs.map((message) => ({ message })) }
  })
  const secrets = mockClient(SecretsManagerClient)
  secrets.on(GetSecretValueCommand).callsFake(({ SecretId }) => {
    say(`aws secretsmanager GetSecretValue ${SecretId}`)
    return { SecretString: account.secrets[SecretId] }
  })
  const ssm = mockClient(SSMClient)
  ssm.on(GetParameterCommand).callsFake(({ Name }) => {
    say(`aws ssm GetParameter ${Name}`)
    if (!(Name in account.parameters)) {
      throw Object.assign(new Error('parameter not found'), { name: 'ParameterNotFound' })
    }
    return { Parameter: { Name, Value: account.parameters[Name] } }
  })
  ssm.on(PutParameterCommand).callsFake(({ Name, Value }) => {
    say(`aws ssm PutParameter ${Name}`)
    account.parameters[Name] = Value
    return {}
  })
  return { cfn, logs, secrets, ssm }
}

/**
 * Tools for a deploy against a fake AWS account. AWS stand-in: the SDK
 * clients answer from `account` (aws-sdk-client-mock); the `pnpm infra
 * deploy` commands (CloudFormation through CDK, unreachable here) are
 * recorded instead of run, and so is the smoke test of the remote stage.
 * Every call lands in `events`, in order.
 */
export function awsStandIn(config: PipelineConfig, account: FakeAccount) {
  const { log, output } = capturedLog()
  const plan = new Plan(log)
  const say = (line: string) => plan.record(line)
  const mocks = { ecs: mockEcs(account, say), ...mockRest(account, say) }
  const tools = realTools(config, log, {
    $: planExecutor(plan, { cwd: config.root, env: {} }),
    smoke: async (target) => say(`smoke ${target.webUrl} ${target.pingUrl} key=${target.apiKey}`),
  })
  return {
    tools,
    events: plan.lines,
    output,
    mocks,
    restore: () => Object.values(mocks).forEach((mock) => mock.restore()),
  }
}
