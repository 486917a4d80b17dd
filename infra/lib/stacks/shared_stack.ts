import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as ecr from 'aws-cdk-lib/aws-ecr'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import { renderPattern } from '../arn_pattern.js'
import type { AccountConfig } from '../config.js'
import { SecureBucket } from '../constructs/secure_bucket.js'

/** Named after account and region, so the build host can address it without an import. */
export const ARTIFACTS_BUCKET_PATTERN = 'ngip-artifacts-{account}-{region}'

export interface SharedStackProps extends StackProps {
  account: AccountConfig
}

/**
 * Per-account resources that outlive every environment: the image repository
 * the pipeline pushes to once and promotes from, and the artifacts bucket.
 */
export class SharedStack extends Stack {
  readonly repository: ecr.Repository
  readonly artifacts: s3.Bucket

  constructor(scope: Construct, id: string, props: SharedStackProps) {
    super(scope, id, props)
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.account.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          description: 'Drop untagged layers',
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(7),
        },
        {
          description: 'Keep the last 100 images',
          tagStatus: ecr.TagStatus.ANY,
          maxImageCount: 100,
        },
      ],
    })
    const logs = new SecureBucket(this, 'AccessLogs', { retain: true, expireAfterDays: 365 })
    this.artifacts = new SecureBucket(this, 'Artifacts', {
      bucketName: renderPattern(ARTIFACTS_BUCKET_PATTERN, 'iam'),
      retain: true,
      versioned: true,
      expireAfterDays: 180,
      accessLogs: { bucket: logs.bucket, prefix: 'artifacts/' },
    }).bucket
    new CfnOutput(this, 'RepositoryUri', { value: this.repository.repositoryUri })
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifacts.bucketName })
  }
}
