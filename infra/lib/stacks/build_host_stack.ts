import { Stack, type StackProps } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import type { AccountConfig } from '../config.js'
import { BuildHost, repositoryParameters } from '../constructs/build_host.js'
import { createLogGroup } from '../constructs/log_group.js'
import { PushWebhook } from '../constructs/push_webhook.js'
import { ARTIFACTS_BUCKET_PATTERN } from './shared_stack.js'

export interface BuildHostStackProps extends StackProps {
  account: AccountConfig
}

/**
 * The per-account build host in a small VPC of its own: public subnets, no
 * NAT, no inbound rule; egress reaches SSM, ECR, npm and the Debian mirror.
 * It addresses the shared repository and bucket by name, without imports.
 */
export class BuildHostStack extends Stack {
  readonly host: BuildHost
  readonly webhook: PushWebhook

  constructor(scope: Construct, id: string, props: BuildHostStackProps) {
    super(scope, id, props)
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.100.0.0/24'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 }],
    })
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        createLogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, retain: false })
      ),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    })
    this.host = new BuildHost(this, 'BuildHost', {
      vpc,
      account: props.account,
      artifactsBucketPattern: ARTIFACTS_BUCKET_PATTERN,
      repository: repositoryParameters(this),
    })
    this.webhook = new PushWebhook(this, 'PushWebhook', {
      groupName: props.account.buildHostGroupName,
      hostRole: this.host.role,
    })
  }
}
