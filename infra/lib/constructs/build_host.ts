import * as autoscaling from 'aws-cdk-lib/aws-autoscaling'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as iam from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'
import type { AccountConfig } from '../config.js'
import { acknowledge } from '../nag.js'
import { buildHostPolicy } from './build_host_policy.js'
import { buildHostUserData } from './build_host_user_data.js'

export interface BuildHostProps {
  vpc: ec2.IVpc
  account: AccountConfig
  artifactsBucketPattern: string
}

/**
 * The pipeline's EC2 host in an auto-scaling group of at most one. Idle, it
 * scales in to zero and the warm pool keeps the instance stopped with its
 * disk (Docker layers, checkout); a run scales it back out to one.
 */
export class BuildHost extends Construct {
  readonly group: autoscaling.AutoScalingGroup
  readonly role: iam.Role

  constructor(scope: Construct, id: string, props: BuildHostProps) {
    super(scope, id)
    const { account } = props
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'ngip build host: pipeline permissions only',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    })
    this.grant(props)
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'ngip build host: no inbound, reached through SSM only',
    })
    this.group = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      autoScalingGroupName: account.buildHostGroupName,
      launchTemplate: this.launchTemplate(props, securityGroup),
      minCapacity: 0,
      maxCapacity: 1,
    })
    this.group.addWarmPool({
      minSize: 0,
      poolState: autoscaling.PoolState.STOPPED,
      reuseOnScaleIn: true,
    })
    acknowledge(this.group, {
      'AwsSolutions-AS3':
        'A group of at most one, scaled only by the pipeline (wake) and its idle-check (park); nobody to notify.',
    })
  }

  private grant(props: BuildHostProps) {
    const { statements, acknowledgements } = buildHostPolicy({
      groupName: props.account.buildHostGroupName,
      repositoryName: props.account.repositoryName,
      artifactsBucketPattern: props.artifactsBucketPattern,
    })
    for (const statement of statements) {
      this.role.addToPrincipalPolicy(statement)
    }
    acknowledge(this.role, {
      ...acknowledgements,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]':
        'The AWS-maintained minimum for Session Manager access; there is no SSH and no inbound rule.',
    })
  }

  private launchTemplate(props: BuildHostProps, securityGroup: ec2.ISecurityGroup) {
    return new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType: new ec2.InstanceType(props.account.buildHostInstanceType),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role: this.role,
      securityGroup,
      associatePublicIpAddress: true,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      instanceInitiatedShutdownBehavior: ec2.InstanceInitiatedShutdownBehavior.STOP,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(60, {
            encrypted: true,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
          }),
        },
      ],
      userData: buildHostUserData({
        groupName: props.account.buildHostGroupName,
        idleMinutes: props.account.buildHostIdleMinutes,
        pnpmVersion: props.account.pnpmVersion,
      }),
    })
  }
}
