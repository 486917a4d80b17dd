import type { AwsPort } from './aws_port.ts'
import type { Plan } from './plan.ts'

/**
 * The dry run's AwsPort: records each call as an `aws ...` line. Stack
 * outputs answer as `<stack:Output>` placeholders; SSM parameters put during
 * the run are read back, so `all` shows prod reading stage-test's pass.
 */
export function awsPlan(plan: Plan, region: string, registry: string): AwsPort {
  const say = (line: string) => plan.record(`aws ${line}`)
  const parameters = new Map<string, string>()
  return {
    async ecrAuthorization() {
      say(`ecr GetAuthorizationToken (${region})`)
      return { username: 'AWS', password: '(dry run)', serveraddress: registry }
    },
    async instanceId() {
      say('imds GET /latest/meta-data/instance-id')
      return 'i-(this host)'
    },
    async stopInstance(instanceId) {
      say(`ec2 StopInstances ${instanceId} (${region})`)
    },
    async scaleIn(group) {
      say(`autoscaling SetDesiredCapacity ${group} 0 (${region})`)
    },
    async stackOutputs(stack, names) {
      say(`cloudformation DescribeStacks ${stack} (outputs ${names.join(', ')})`)
      return Object.fromEntries(names.map((name) => [name, `<${stack}:${name}>`]))
    },
    async runTask(launch) {
      say(
        `ecs RunTask ${launch.taskDefinition} on ${launch.cluster} (FARGATE, subnets ${launch.subnets.join(',')}, security group ${launch.securityGroups.join(',')})`
      )
      return `arn:(dry run):ecs:task/${launch.cluster}/(task)`
    },
    async describeTask(_cluster, taskArn) {
      say(`ecs DescribeTasks ${taskArn} until STOPPED`)
      return { status: 'STOPPED', exitCode: 0 }
    },
    async logTail(group, stream) {
      say(`logs GetLogEvents ${group} ${stream}`)
      return []
    },
    async secretValue(secretId) {
      say(`secretsmanager GetSecretValue ${secretId}`)
      return '<secret value>'
    },
    async parameter(name) {
      say(`ssm GetParameter ${name}`)
      return parameters.get(name)
    },
    async putParameter(name, value) {
      say(`ssm PutParameter ${name} ${value}`)
      parameters.set(name, value)
    },
  }
}
