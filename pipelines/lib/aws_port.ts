import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr'
import { EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling'
import { deployCalls } from '../aws/sdk_calls.ts'
import type { RegistryAuth } from './docker_port.ts'
import type { Secrets } from './secrets.ts'

export interface AwsSettings {
  region: string
  /** IMDSv2 base URL, for the build host's own instance id. */
  imdsEndpoint: string
}

/** A one-off Fargate task: a task definition on a cluster, in private subnets. */
export interface TaskLaunch {
  cluster: string
  taskDefinition: string
  subnets: string[]
  securityGroups: string[]
}

export interface TaskState {
  /** ECS lastStatus: PROVISIONING, PENDING, RUNNING, … STOPPED. */
  status: string
  exitCode?: number
  /** Why it stopped, when ECS says (e.g. the image could not be pulled). */
  reason?: string
  /** The awslogs stream of its container: `<family>/<container>/<task id>`. */
  logStream?: string
}

/**
 * The AWS API calls the pipeline makes itself (stacks are deployed through
 * the `pnpm infra` command). Real clients here and in aws/sdk_calls.ts; the
 * dry run records the calls (aws_plan.ts).
 */
export interface AwsPort {
  /** ECR GetAuthorizationToken, decoded into Docker registry credentials. */
  ecrAuthorization(): Promise<RegistryAuth>
  instanceId(): Promise<string>
  stopInstance(instanceId: string): Promise<void>
  /** Scales an Auto Scaling group in to zero (its warm pool keeps the instance stopped). */
  scaleIn(group: string): Promise<void>
  /** CloudFormation DescribeStacks: the named outputs of a stack; throws when one is missing. */
  stackOutputs(stack: string, names: readonly string[]): Promise<Record<string, string>>
  /** ECS RunTask; returns the task's ARN. */
  runTask(launch: TaskLaunch): Promise<string>
  /** ECS DescribeTasks of one task. */
  describeTask(cluster: string, taskArn: string): Promise<TaskState>
  /** CloudWatch Logs GetLogEvents: the last lines of a stream. */
  logTail(group: string, stream: string): Promise<string[]>
  /** Secrets Manager GetSecretValue (a string secret). */
  secretValue(secretId: string): Promise<string>
  /** SSM GetParameter; undefined when there is no such parameter. */
  parameter(name: string): Promise<string | undefined>
  /** SSM PutParameter, overwriting. */
  putParameter(name: string, value: string): Promise<void>
}

/** `base64(user:password)` + proxy endpoint → Docker's auth config; the password is masked. */
export function decodeEcrToken(
  token: string,
  proxyEndpoint: string,
  secrets: Secrets
): RegistryAuth {
  const decoded = Buffer.from(token, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const auth = {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    serveraddress: new URL(proxyEndpoint).host,
  }
  secrets.add(auth.password, token)
  return auth
}

async function imdsInstanceId(endpoint: string) {
  const token = await fetch(`${endpoint}/latest/api/token`, {
    method: 'PUT',
    headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
    signal: AbortSignal.timeout(2000),
  }).then((response) => response.text())
  const answer = await fetch(`${endpoint}/latest/meta-data/instance-id`, {
    headers: { 'x-aws-ec2-metadata-token': token },
    signal: AbortSignal.timeout(2000),
  })
  const id = await answer.text()
  return id.trim()
}

export function awsClients(settings: AwsSettings, secrets: Secrets): AwsPort {
  const { region } = settings
  return {
    async ecrAuthorization() {
      const ecr = new ECRClient({ region })
      const answer = await ecr.send(new GetAuthorizationTokenCommand({}))
      const data = answer.authorizationData?.[0]
      if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new Error('ECR returned no authorization token')
      }
      return decodeEcrToken(data.authorizationToken, data.proxyEndpoint, secrets)
    },
    instanceId: () => imdsInstanceId(settings.imdsEndpoint),
    async stopInstance(instanceId) {
      await new EC2Client({ region }).send(new StopInstancesCommand({ InstanceIds: [instanceId] }))
    },
    async scaleIn(group) {
      await new AutoScalingClient({ region }).send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: group, DesiredCapacity: 0 })
      )
    },
    ...deployCalls(region),
  }
}
