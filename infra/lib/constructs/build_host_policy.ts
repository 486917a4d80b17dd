import * as iam from 'aws-cdk-lib/aws-iam'
import { renderPattern } from '../arn_pattern.js'

export interface BuildHostPolicyProps {
  groupName: string
  repositoryName: string
  /** Name pattern of the artifacts bucket, with placeholders. */
  artifactsBucketPattern: string
}

interface Grant {
  actions: string[]
  /** ARN patterns with {partition}, {region} and {account} placeholders. */
  resources: string[]
  /** Why a wildcard in the resources is needed; required when there is one. */
  reason?: string
  conditions?: Record<string, unknown>
}

/** Image push, CDK deploys, artifacts and stack outputs. */
function deployGrants(props: BuildHostPolicyProps): Grant[] {
  const artifacts = `arn:{partition}:s3:::${props.artifactsBucketPattern}`
  return [
    {
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
      reason: 'ECR login has no resource-level permissions.',
    },
    {
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:BatchGetImage',
        'ecr:DescribeImages',
      ],
      resources: [`arn:{partition}:ecr:{region}:{account}:repository/${props.repositoryName}`],
    },
    {
      actions: ['sts:AssumeRole'],
      resources: ['arn:{partition}:iam::{account}:role/cdk-hnb659fds-*'],
      reason:
        'CDK deploys through the bootstrap roles (deploy, file and image publishing, lookup) of this account.',
    },
    { actions: ['s3:ListBucket'], resources: [artifacts] },
    {
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${artifacts}/*`],
      reason: 'Build artifacts are keyed by commit under the one artifacts bucket.',
    },
    {
      actions: ['cloudformation:DescribeStacks'],
      resources: ['arn:{partition}:cloudformation:{region}:{account}:stack/ngip-*/*'],
      reason: 'Reads the outputs (URLs, task definition, subnets) of the ngip stacks only.',
    },
  ]
}

/** Migrations, static files and the host's own scale-in. */
function releaseGrants(props: BuildHostPolicyProps): Grant[] {
  return [
    {
      actions: ['ecs:RunTask'],
      resources: ['arn:{partition}:ecs:{region}:{account}:task-definition/ngip-*-migrate:*'],
      reason:
        'Runs any revision of the migrations task definition of each environment, nothing else.',
    },
    {
      actions: ['ecs:DescribeTasks'],
      resources: ['arn:{partition}:ecs:{region}:{account}:task/ngip-*/*'],
      reason: 'Waits for the migrations task it started; task ids are not known in advance.',
    },
    {
      actions: ['iam:PassRole'],
      resources: ['arn:{partition}:iam::{account}:role/ngip-*-app-*'],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      reason: 'RunTask passes the generated roles of the app stacks, and only to ECS tasks.',
    },
    {
      actions: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: ['arn:{partition}:s3:::ngip-*-static-content*'],
      reason: 'Uploads static files to the generated content bucket of each environment.',
    },
    {
      actions: ['cloudfront:CreateInvalidation'],
      resources: ['arn:{partition}:cloudfront::{account}:distribution/*'],
      reason: 'Distribution ids are generated; invalidation is the only CloudFront action granted.',
    },
    {
      actions: ['autoscaling:SetDesiredCapacity'],
      resources: [
        `arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/${props.groupName}`,
      ],
      reason: 'Scales in its own group, whose ARN carries a generated id; the group name is fixed.',
    },
  ]
}

/**
 * What the pipeline on the build host may do, and nothing else: push images,
 * deploy through the CDK bootstrap roles, use the artifacts bucket, read stack
 * outputs, run the migrations task, upload static files and scale itself in.
 * Returns the statements and the cdk-nag acknowledgement of each wildcard.
 */
export function buildHostPolicy(props: BuildHostPolicyProps) {
  const statements: iam.PolicyStatement[] = []
  const acknowledgements: Record<string, string> = {}
  for (const grant of [...deployGrants(props), ...releaseGrants(props)]) {
    const resources = grant.resources.map((pattern) => renderPattern(pattern, 'iam'))
    statements.push(
      new iam.PolicyStatement({ actions: grant.actions, resources, conditions: grant.conditions })
    )
    for (const pattern of grant.resources.filter((resource) => resource.includes('*'))) {
      if (!grant.reason) {
        throw new Error(`The build host grant on ${pattern} needs a reason for its wildcard`)
      }
      acknowledgements[`AwsSolutions-IAM5[Resource::${renderPattern(pattern, 'nag')}]`] =
        grant.reason
    }
  }
  return { statements, acknowledgements }
}
