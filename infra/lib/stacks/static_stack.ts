import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import * as s3 from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import type { NgipConfig } from '../config.js'
import { SecureBucket } from '../constructs/secure_bucket.js'
import { acknowledge } from '../nag.js'

export interface StaticStackProps extends StackProps {
  config: NgipConfig
}

/**
 * Static files in a private bucket, served only through CloudFront with
 * origin access control. The pipeline uploads the files and invalidates.
 */
export class StaticStack extends Stack {
  readonly distribution: cloudfront.Distribution
  readonly bucket: s3.Bucket

  constructor(scope: Construct, id: string, props: StaticStackProps) {
    super(scope, id, props)
    const { config } = props
    const logs = new SecureBucket(this, 'Logs', {
      retain: config.retainOnDelete,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      expireAfterDays: 90,
    })
    this.bucket = new SecureBucket(this, 'Content', {
      retain: config.retainOnDelete,
      accessLogs: { bucket: logs.bucket, prefix: 's3/' },
    }).bucket
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${config.prefix} static files`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs.bucket,
      logFilePrefix: 'cloudfront/',
      ...this.customDomain(config),
    })
    this.acknowledgeFindings(config)
    new CfnOutput(this, 'StaticBucketName', { value: this.bucket.bucketName })
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId })
    new CfnOutput(this, 'StaticUrl', { value: `https://${this.staticDomain(config)}` })
  }

  private customDomain(config: NgipConfig) {
    if (!config.staticCertificateArn) {
      return {}
    }
    return {
      domainNames: [config.dns.staticHost],
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      certificate: acm.Certificate.fromCertificateArn(
        this,
        'Certificate',
        config.staticCertificateArn
      ),
    }
  }

  private staticDomain(config: NgipConfig) {
    return config.staticCertificateArn
      ? config.dns.staticHost
      : this.distribution.distributionDomainName
  }

  private acknowledgeFindings(config: NgipConfig) {
    acknowledge(this.distribution, {
      'AwsSolutions-CFR1':
        'Public static assets (CSS, JS, images) for users anywhere; nothing to geo-restrict.',
      'AwsSolutions-CFR2':
        'Cached static files only, no dynamic origin to shield; WAF cost is not justified.',
    })
    if (!config.staticCertificateArn) {
      acknowledge(this.distribution, {
        'AwsSolutions-CFR4':
          'Without a us-east-1 certificate the distribution uses the default *.cloudfront.net certificate, whose TLS policy cannot be set.',
      })
    }
  }
}
