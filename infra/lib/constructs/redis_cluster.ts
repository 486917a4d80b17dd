import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as elasticache from 'aws-cdk-lib/aws-elasticache'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import { Construct } from 'constructs'
import type { EnvSizing } from '../env_sizing.js'
import { acknowledge } from '../nag.js'

export interface RedisClusterProps {
  vpc: ec2.IVpc
  sizing: EnvSizing['redis']
}

/**
 * ElastiCache Redis with TLS, encryption at rest and an AUTH token kept in
 * Secrets Manager. Production runs a replica in a second AZ with automatic
 * failover. `noeviction`: the ping stream and the queues must never be evicted.
 */
export class RedisCluster extends Construct {
  readonly securityGroup: ec2.SecurityGroup
  readonly authToken: secretsmanager.Secret
  readonly host: string
  readonly port: string

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id)
    const ha = props.sizing.highlyAvailable
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis: ingress only from the app and the ping Lambda',
      allowAllOutbound: false,
    })
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'Redis AUTH token',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    })
    const group = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'ngip pings stream, queues, sessions and limits',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.sizing.nodeType,
      cacheParameterGroupName: this.parameterGroup().ref,
      cacheSubnetGroupName: this.subnetGroup(props.vpc).ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      numCacheClusters: ha ? 2 : 1,
      automaticFailoverEnabled: ha,
      multiAzEnabled: ha,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: ha ? 7 : 0,
    })
    this.host = group.attrPrimaryEndPointAddress
    this.port = group.attrPrimaryEndPointPort
    this.acknowledgeFindings(ha)
  }

  private subnetGroup(vpc: ec2.IVpc) {
    return new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'ngip Redis, isolated subnets',
      subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    })
  }

  private parameterGroup() {
    return new elasticache.CfnParameterGroup(this, 'Parameters', {
      description: 'ngip Redis: never evict',
      cacheParameterGroupFamily: 'redis7',
      properties: { 'maxmemory-policy': 'noeviction' },
    })
  }

  private acknowledgeFindings(ha: boolean) {
    acknowledge(this, {
      'AwsSolutions-SMG4':
        'ElastiCache AUTH rotation needs a ROTATE/SET sequence across clients; rotated by a redeploy, not on a schedule.',
      'AwsSolutions-AEC5':
        'A non-default port adds nothing here: isolated subnets and a security group that admits only the app.',
    })
    if (!ha) {
      acknowledge(this, {
        'AwsSolutions-AEC4':
          'Stage runs a single node to halve its cost; prod is Multi-AZ with failover.',
      })
    }
  }
}
