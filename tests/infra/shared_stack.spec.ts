import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { ALL_STACKS, synthEnv } from './helpers.js'

test.group('infra shared stack', (group) => {
  group.each.timeout(60_000)

  test('the image repository scans on push, keeps tags immutable and outlives the stack', ({
    assert,
  }) => {
    const template = synthEnv('stage').template('shared')
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      Properties: {
        RepositoryName: 'ngip',
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
        LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('untagged') },
      },
    })
    const [repository] = Object.values(template.findResources('AWS::ECR::Repository'))
    assert.notProperty(repository.Properties, 'RepositoryPolicyText')
  })

  test('the artifacts bucket is named after account and region, versioned and retained', () => {
    synthEnv('stage')
      .template('shared')
      .hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: {
          BucketName: {
            'Fn::Join': [
              '',
              ['ngip-artifacts-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifacts/' }),
        },
      })
  })

  test('every bucket of every stack is encrypted, private and TLS-only', ({ assert }) => {
    for (const env of ['stage', 'prod'] as const) {
      for (const name of ALL_STACKS) {
        const template = synthEnv(env).template(name)
        const buckets = template.findResources('AWS::S3::Bucket')
        for (const [id, bucket] of Object.entries(buckets)) {
          const where = `${env}/${name}/${id}`
          assert.deepEqual(
            bucket.Properties.PublicAccessBlockConfiguration,
            {
              BlockPublicAcls: true,
              BlockPublicPolicy: true,
              IgnorePublicAcls: true,
              RestrictPublicBuckets: true,
            },
            where
          )
          assert.equal(
            bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]
              .ServerSideEncryptionByDefault.SSEAlgorithm,
            'AES256',
            where
          )
          template.hasResourceProperties('AWS::S3::BucketPolicy', {
            Bucket: { Ref: id },
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Effect: 'Deny',
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                }),
              ]),
            },
          })
        }
      }
    }
  })

  test('the per-account stacks synthesize identically for stage and prod', ({ assert }) => {
    for (const name of ['shared', 'buildHost'] as const) {
      assert.deepEqual(
        synthEnv('stage').template(name).toJSON(),
        synthEnv('prod').template(name).toJSON(),
        name
      )
    }
  })
})
