import { CfnParameter, type Stack } from 'aws-cdk-lib'
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as iam from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'
import type { AccountConfig } from '../config.js'
import { acknowledge } from '../nag.js'
import { buildHostPolicy } from './build_host_policy.js'
import { buildHostUserData } from './build_host_user_data.js'

/** Debian 12's official AMI, resolved at deploy time: synth needs no lookup. */
export const DEBIAN_AMI_PARAMETER = '/aws/service/debian/release/12/latest/amd64'

/** What the host clones and with which credential: stack parameters, set at deploy. */
export interface BuildHostRepository {
  url: string
  /** The Secrets Manager secret of the read-only deploy credential, or `none`. */
  credentialSecret: string
}

export interface BuildHostProps {
  vpc: ec2.IVpc
  account: AccountConfig
  artifactsBucketPattern: string
  repository: BuildHostRepository
}

/**
 * The stack parameters `RepositoryUrl` and `DeployCredentialName` (a secret's name), e.g.
 * `pnpm infra deploy ngip-build-host --parameters RepositoryUrl=git@github.com:me/ngip.git`.
 */
export function repositoryParameters(stack: Stack): BuildHostRepository {
  const url = new CfnParameter(stack, 'RepositoryUrl', {
    description: 'The git repository the build host clones and watches (https:// or ssh)',
    allowedPattern: "^(https://|ssh://|git@)[^'\\s]+$",
    constraintDescription: 'an https://, ssh:// or git@ URL without quotes or spaces',
  })
  const secret = new CfnParameter(stack, 'DeployCredentialName', {
    description:
      'Name of the Secrets Manager secret holding a read-only deploy key (ssh URL) or token (https URL); none for a public repository',
    default: 'ngip/build-host/deploy-key',
    allowedPattern: '^[A-Za-z0-9/_+=.@-]+$',
  })
  return { url: url.valueAsString, credentialSecret: secret.valueAsString }
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
      deployCredentialSecret: props.repository.credentialSecret,
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
      machineImage: ec2.MachineImage.fromSsmParameter(DEBIAN_AMI_PARAMETER, {
        os: ec2.OperatingSystemType.LINUX,
      }),
      role: this.role,
      securityGroup,
      associatePublicIpAddress: true,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      instanceInitiatedShutdownBehavior: ec2.InstanceInitiatedShutdownBehavior.STOP,
      blockDevices: [
        {
          // The root device name Debian registers its AMIs with.
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
        repositoryUrl: props.repository.url,
        credentialSecret: props.repository.credentialSecret,
      }),
    })
  }
}
