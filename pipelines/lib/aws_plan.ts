import type { AwsPort } from './aws_port.ts'
import type { Plan } from './plan.ts'

/** The dry run's AwsPort: records each call as an `aws ...` line. */
export function awsPlan(plan: Plan, region: string, registry: string): AwsPort {
  const say = (line: string) => plan.record(`aws ${line}`)
  return {
    async ecrAuthorization() {
      say(`ecr GetAuthorizationToken (${region})`)
      return { username: 'AWS', password: '(dry run)', serveraddress: registry }
    },
    async s3Put(bucket, key, _body, contentType) {
      say(`s3 PutObject s3://${bucket}/${key} (${contentType})`)
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
  }
}
