import * as iam from 'aws-cdk-lib/aws-iam'
import { renderPattern } from '../arn_pattern.js'

export interface BuildHostPolicyProps {
  groupName: string
  repositoryName: string
  /** Name pattern of the artifacts bucket, with placeholders. */
  artifactsBucketPattern: string
  /** Name of the secret with the repository's deploy credential (the bootstrap reads it). */
  deployCredentialSecret?: string
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

/** The jobs stack's one-off tasks (migrations, setup) and their logs. */
function jobGrants(): Grant[] {
  return [
    {
      actions: ['ecs:RunTask'],
      resources: [
        'arn:{partition}:ecs:{region}:{account}:task-definition/ngip-*-migrate:*',
        'arn:{partition}:ecs:{region}:{account}:task-definition/ngip-*-setup:*',
      ],
      reason:
        'Runs any revision of the migrations and setup task definitions of each environment, nothing else.',
    },
    {
      actions: ['ecs:DescribeTasks'],
      resources: ['arn:{partition}:ecs:{region}:{account}:task/ngip-*-jobs/*'],
      reason: 'Waits for the one-off task it started on a jobs cluster; task ids are generated.',
    },
    {
      actions: ['iam:PassRole'],
      resources: ['arn:{partition}:iam::{account}:role/ngip-*-jobs-*'],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      reason: 'RunTask passes the generated roles of the jobs stacks, and only to ECS tasks.',
    },
    {
      actions: ['logs:GetLogEvents'],
      resources: ['arn:{partition}:logs:{region}:{account}:log-group:ngip-*-jobs-*:log-stream:*'],
      reason: "Prints a failed one-off task's log; the jobs stacks' log group names are generated.",
    },
  ]
}

/** The prod gate's records, the smoke tests' API key and the host's own scale-in. */
function releaseGrants(props: BuildHostPolicyProps): Grant[] {
  return [
    {
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: ['arn:{partition}:ssm:{region}:{account}:parameter/ngip/*'],
      reason: 'Reads and writes the stage-test pass and the prod releases under /ngip/ only.',
    },
    {
      actions: ['secretsmanager:GetSecretValue'],
      resources: [
        'arn:{partition}:secretsmanager:{region}:{account}:secret:ngip-*/pipeline-api-key-*',
      ],
      reason:
        "The smoke tests' API key of each environment; Secrets Manager appends a random suffix.",
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

/** The bootstrap reads the repository's deploy credential; Secrets Manager adds a 6-character suffix. */
function bootstrapGrants(props: BuildHostPolicyProps): Grant[] {
  const secret = props.deployCredentialSecret
  return secret
    ? [
        {
          actions: ['secretsmanager:GetSecretValue'],
          resources: [`arn:{partition}:secretsmanager:{region}:{account}:secret:${secret}-??????`],
        },
      ]
    : []
}

/**
 * What the pipeline on the build host may do, and nothing else: push images,
 * deploy through the CDK bootstrap roles, use the artifacts bucket, read stack
 * outputs, run the one-off tasks, keep the prod gate's records and scale itself in.
 * Returns the statements and the cdk-nag acknowledgement of each wildcard.
 */
export function buildHostPolicy(props: BuildHostPolicyProps) {
  const statements: iam.PolicyStatement[] = []
  const acknowledgements: Record<string, string> = {}
  for (const grant of [
    ...deployGrants(props),
    ...jobGrants(),
    ...releaseGrants(props),
    ...bootstrapGrants(props),
  ]) {
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
