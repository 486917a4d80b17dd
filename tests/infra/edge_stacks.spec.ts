import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { STATIC_CERTIFICATE_ARN, synthEnv } from './helpers.js'

test.group('infra static and dns stacks', (group) => {
  group.each.timeout(60_000)

  test('static files are private and reach users only through CloudFront with origin access control', () => {
    const template = synthEnv('stage').template('static')
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1)
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    })
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    })
  })

  test('with a us-east-1 certificate CloudFront answers on static.<domain> with TLS 1.2+', () => {
    synthEnv('prod')
      .template('static')
      .hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['static.ngip.example.com'],
          ViewerCertificate: {
            AcmCertificateArn: STATIC_CERTIFICATE_ARN,
            MinimumProtocolVersion: 'TLSv1.2_2021',
            SslSupportMethod: 'sni-only',
          },
        }),
      })
  })

  test('stage gets alias records for app and ping in the configured zone', ({ assert }) => {
    const template = synthEnv('stage').template('dns')
    const records = Object.values(template.findResources('AWS::Route53::RecordSet'))
    assert.sameMembers(
      records.map((record) => record.Properties.Name),
      ['stage.ngip.example.com.', 'ping.stage.ngip.example.com.']
    )
    for (const record of records) {
      assert.equal(record.Properties.HostedZoneId, 'Z0123456789EXAMPLE')
      assert.property(record.Properties, 'AliasTarget')
    }
  })

  test('prod adds the static record, aliased to CloudFront', () => {
    const template = synthEnv('prod').template('dns')
    template.resourceCountIs('AWS::Route53::RecordSet', 3)
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'static.ngip.example.com.',
      Type: 'A',
      AliasTarget: Match.objectLike({
        DNSName: { 'Fn::ImportValue': Match.stringLikeRegexp('Distribution') },
      }),
    })
  })
})
