import { type CfnResource, Stack } from 'aws-cdk-lib'
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { FactName } from 'aws-cdk-lib/region-info'

export interface AlbAccessLogsProps {
  /** An ALB, or an NLB (which logs its TLS listeners only) */
  loadBalancer: elbv2.ApplicationLoadBalancer | elbv2.NetworkLoadBalancer
  bucket: s3.Bucket
  prefix: string
}

/**
 * ALB access logging for an environment-agnostic stack. CDK's
 * `logAccessLogs` needs a concrete region; here the regional ELB account is
 * a deploy-time lookup in CDK's region map, next to the log-delivery service
 * principal of newer regions. A region missing from the map (launched after
 * August 2022) fails the deploy at that lookup.
 */
export function enableAlbAccessLogs(props: AlbAccessLogsProps) {
  const { loadBalancer, bucket, prefix } = props
  const stack = Stack.of(loadBalancer)
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true')
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName)
  loadBalancer.setAttribute('access_logs.s3.prefix', prefix)
  const objects = bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)
  const principals = [
    new iam.AccountPrincipal(stack.regionalFact(FactName.ELBV2_ACCOUNT)),
    new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
  ]
  for (const principal of principals) {
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        principals: [principal],
        resources: [objects],
      })
    )
  }
  const policy = bucket.policy?.node.defaultChild as CfnResource
  ;(loadBalancer.node.defaultChild as CfnResource).addResourceDependency(policy)
}
