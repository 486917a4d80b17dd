import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as rds from 'aws-cdk-lib/aws-rds'
import { Construct } from 'constructs'
import type { EnvSizing } from '../env_sizing.js'
import { acknowledge } from '../nag.js'
import { createLogGroup, type LogSettings } from './log_group.js'

const ENGINE = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 })

export interface PostgresDatabaseProps {
  vpc: ec2.IVpc
  sizing: EnvSizing['database']
  logs: LogSettings
  databaseName: string
  /** Fixed instance identifier, so that its log group can exist before it. */
  instanceIdentifier: string
}

/**
 * RDS PostgreSQL in the isolated subnets, encrypted, TLS enforced, its
 * password generated into Secrets Manager. Production adds Multi-AZ,
 * deletion protection and a final snapshot.
 */
export class PostgresDatabase extends Construct {
  readonly instance: rds.DatabaseInstance
  readonly securityGroup: ec2.SecurityGroup

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id)
    const ha = props.sizing.highlyAvailable
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'PostgreSQL: ingress only from the app and migrations',
      allowAllOutbound: false,
    })
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine: ENGINE,
      instanceType: new ec2.InstanceType(props.sizing.instanceType),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      databaseName: props.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret('ngip'),
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine: ENGINE,
        parameters: { 'rds.force_ssl': '1' },
      }),
      storageEncrypted: true,
      storageType: rds.StorageType.GP3,
      allocatedStorage: props.sizing.allocatedStorageGiB,
      maxAllocatedStorage: props.sizing.maxAllocatedStorageGiB,
      backupRetention: Duration.days(props.sizing.backupRetentionDays),
      instanceIdentifier: props.instanceIdentifier,
      cloudwatchLogsExports: ['postgresql'],
      autoMinorVersionUpgrade: true,
      multiAz: ha,
      deletionProtection: ha,
      removalPolicy: ha ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    })
    this.instance.node.addDependency(this.logGroup(props))
    this.acknowledgeFindings(ha)
  }

  /** Created before the instance, which would otherwise create it without retention. */
  private logGroup(props: PostgresDatabaseProps) {
    return createLogGroup(this, 'Logs', {
      ...props.logs,
      logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/postgresql`,
    })
  }

  private acknowledgeFindings(ha: boolean) {
    acknowledge(this, {
      'AwsSolutions-SMG4':
        'The password reaches ECS tasks as an env var at start; rotating it needs a coordinated redeploy, done by the pipeline.',
      'AwsSolutions-RDS11':
        'A non-default port adds nothing here: isolated subnets and a security group that admits only the app.',
    })
    if (!ha) {
      acknowledge(this, {
        'AwsSolutions-RDS3': 'Stage runs single-AZ to halve its cost; prod is Multi-AZ.',
        'AwsSolutions-RDS10':
          'Stage is disposable and destroyed by the pipeline cleanup; prod has deletion protection.',
      })
    }
  }
}
