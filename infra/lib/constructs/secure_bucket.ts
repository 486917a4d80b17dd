import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { acknowledge } from '../nag.js'

export interface SecureBucketProps {
  /** Physical name; generated when absent. */
  bucketName?: string
  /** Bucket and prefix for S3 server access logs; without it this bucket is a log bucket itself. */
  accessLogs?: { bucket: s3.IBucket; prefix: string }
  /** Keep the bucket and its objects when the stack is deleted. */
  retain: boolean
  /** Log buckets written by CloudFront need ACLs (OBJECT_WRITER). */
  objectOwnership?: s3.ObjectOwnership
  expireAfterDays?: number
  versioned?: boolean
}

/**
 * A private, encrypted, TLS-only S3 bucket: public access blocked, access logged.
 */
export class SecureBucket extends Construct {
  readonly bucket: s3.Bucket

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id)
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? false,
      objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs?.bucket,
      serverAccessLogsPrefix: props.accessLogs?.prefix,
      lifecycleRules: props.expireAfterDays
        ? [{ expiration: Duration.days(props.expireAfterDays) }]
        : undefined,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    })
    if (!props.accessLogs) {
      acknowledge(this.bucket, {
        'AwsSolutions-S1':
          'This bucket is the access-log target; logging it into itself would loop.',
      })
    }
  }
}
