import * as ec2 from 'aws-cdk-lib/aws-ec2'
import type { Construct } from 'constructs'

export interface IngressProps {
  target: ec2.ISecurityGroup
  source: ec2.ISecurityGroup
  port: number
  description: string
}

/**
 * A TCP ingress rule created in the consumer's stack, so that the stateful
 * stack owning the target security group never depends on its consumers.
 */
export function allowIngress(scope: Construct, id: string, props: IngressProps) {
  return new ec2.CfnSecurityGroupIngress(scope, id, {
    groupId: props.target.securityGroupId,
    sourceSecurityGroupId: props.source.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: props.port,
    toPort: props.port,
    description: props.description,
  })
}
