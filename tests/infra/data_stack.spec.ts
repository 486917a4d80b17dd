import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { synthEnv } from './helpers.js'

test.group('infra data stack', (group) => {
  group.each.timeout(60_000)

  test('PostgreSQL is encrypted, private, TLS-only, with its password in Secrets Manager', () => {
    const template = synthEnv('stage').template('data')
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      DBInstanceIdentifier: 'ngip-stage-postgres',
      EnableCloudwatchLogsExports: ['postgresql'],
      MasterUserPassword: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith(['{{resolve:secretsmanager:'])]),
      }),
    })
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: { 'rds.force_ssl': '1' },
    })
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/instance/ngip-stage-postgres/postgresql',
      RetentionInDays: 14,
    })
  })

  test('prod PostgreSQL is Multi-AZ, deletion protected and snapshotted on removal; stage is not', () => {
    synthEnv('prod')
      .template('data')
      .hasResource('AWS::RDS::DBInstance', {
        DeletionPolicy: 'Snapshot',
        Properties: Match.objectLike({
          MultiAZ: true,
          DeletionProtection: true,
          BackupRetentionPeriod: 14,
        }),
      })
    synthEnv('stage')
      .template('data')
      .hasResource('AWS::RDS::DBInstance', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ MultiAZ: false, DeletionProtection: false }),
      })
  })

  test('prod data stack has termination protection', ({ assert }) => {
    assert.isTrue(synthEnv('prod').stacks.data.terminationProtection)
    assert.isFalse(synthEnv('stage').stacks.data.terminationProtection)
  })

  test('Redis encrypts in transit and at rest and requires the AUTH token from Secrets Manager', () => {
    synthEnv('stage')
      .template('data')
      .hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        AuthToken: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith(['{{resolve:secretsmanager:'])]),
        }),
      })
    synthEnv('stage')
      .template('data')
      .hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
        Properties: { 'maxmemory-policy': 'noeviction' },
      })
  })

  test('prod Redis has a replica with automatic failover; stage a single node', () => {
    synthEnv('prod').template('data').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    })
    synthEnv('stage').template('data').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
    })
  })

  test('data security groups admit nobody by themselves and send nothing out', ({ assert }) => {
    const template = synthEnv('prod').template('data')
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0)
    for (const sg of Object.values(template.findResources('AWS::EC2::SecurityGroup'))) {
      assert.notProperty(sg.Properties, 'SecurityGroupIngress')
      assert.deepEqual(
        sg.Properties.SecurityGroupEgress.map((rule: any) => rule.CidrIp),
        ['255.255.255.255/32']
      )
    }
  })
})
