import { Stack, type StackProps } from 'aws-cdk-lib'
import type * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import type { NgipConfig } from '../config.js'
import { logSettings } from '../constructs/log_group.js'
import { PostgresDatabase } from '../constructs/postgres_database.js'
import { RedisCluster } from '../constructs/redis_cluster.js'
import { acknowledge } from '../nag.js'

export interface DataStackProps extends StackProps {
  config: NgipConfig
  vpc: ec2.IVpc
}

/**
 * Stateful resources with their own lifecycle: PostgreSQL, Redis and the
 * application key, which must survive redeploys of the app.
 */
export class DataStack extends Stack {
  readonly database: PostgresDatabase
  readonly redis: RedisCluster
  readonly appKey: secretsmanager.Secret

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, {
      ...props,
      terminationProtection: props.config.database.highlyAvailable,
    })
    this.database = new PostgresDatabase(this, 'Database', {
      vpc: props.vpc,
      sizing: props.config.database,
      logs: logSettings(props.config),
      databaseName: 'ngip',
      instanceIdentifier: `${props.config.prefix}-postgres`,
    })
    this.redis = new RedisCluster(this, 'Redis', { vpc: props.vpc, sizing: props.config.redis })
    this.appKey = new secretsmanager.Secret(this, 'AppKey', {
      description: 'APP_KEY of the AdonisJS app (encrypts cookies and sessions)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    })
    acknowledge(this.appKey, {
      'AwsSolutions-SMG4':
        'Rotating APP_KEY signs every user out and voids encrypted values; rotated by hand.',
    })
  }
}
