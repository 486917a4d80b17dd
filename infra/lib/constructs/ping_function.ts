import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import { Construct } from 'constructs'
import { join } from 'node:path'
import type { NgipConfig } from '../config.js'
import { acknowledge } from '../nag.js'
import { PING_LAMBDA_ENTRY, REPO_ROOT } from '../paths.js'
import { pingRollbackAlarm } from './deploy_alarms.js'
import { createLogGroup, logSettings } from './log_group.js'
import type { RedisCluster } from './redis_cluster.js'

/**
 * What ping/config.ts reads. The AUTH token is resolved by CloudFormation at
 * deploy time and kept in the function's (encrypted) configuration.
 */
function edgeEnvironment(config: NgipConfig, redis: RedisCluster): Record<string, string> {
  return {
    REDIS_HOST: redis.host,
    REDIS_PORT: redis.port,
    REDIS_PASSWORD: redis.authToken.secretValue.unsafeUnwrap(),
    REDIS_TLS: 'true',
    PING_BODY_LIMIT: String(config.ping.bodyLimit),
    PING_RATE_LIMIT: String(config.ping.rateLimit),
    NODE_OPTIONS: '--enable-source-maps',
  }
}

export interface PingFunctionProps {
  config: NgipConfig
  vpc: ec2.IVpc
  redis: RedisCluster
}

/** The alias API Gateway calls; a deploy moves it from version to version. */
export const PING_ALIAS = 'live'

/**
 * The ping edge as a Node 24 Lambda, bundled by the local esbuild, in the
 * isolated subnets with egress only to Redis. Every change of code or
 * configuration publishes a version; CodeDeploy shifts the `live` alias to it
 * and shifts it back when the errors alarm goes off during the shift.
 */
export class PingFunction extends Construct {
  readonly fn: nodejs.NodejsFunction
  readonly alias: lambda.Alias
  readonly securityGroup: ec2.SecurityGroup
  readonly rollbackAlarm: cloudwatch.Alarm
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup

  constructor(scope: Construct, id: string, props: PingFunctionProps) {
    super(scope, id)
    const { config } = props
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Ping Lambda: egress to Redis only',
      allowAllOutbound: false,
    })
    this.fn = new nodejs.NodejsFunction(this, 'Handler', {
      entry: PING_LAMBDA_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: config.ping.memoryMiB,
      timeout: Duration.seconds(10),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      environment: edgeEnvironment(config, props.redis),
      logGroup: createLogGroup(this, 'Logs', logSettings(config)),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'pnpm-lock.yaml'),
      bundling: { forceDockerBundling: false, target: 'node24', minify: true, sourceMap: true },
      // The version the alias leaves must outlive the stack update that leaves it.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
    })
    this.alias = new lambda.Alias(this, 'Alias', {
      aliasName: PING_ALIAS,
      version: this.fn.currentVersion,
    })
    this.rollbackAlarm = pingRollbackAlarm(this, config.prefix, this.alias)
    this.deploymentGroup = this.shiftAlias(config)
    this.acknowledgeManagedPolicies()
  }

  /** CodeDeploy moves the alias, and moves it back on alarm, failure or stop. */
  private shiftAlias(config: NgipConfig) {
    return new codedeploy.LambdaDeploymentGroup(this, 'Deploy', {
      alias: this.alias,
      deploymentConfig: config.ping.trafficShift,
      alarms: [this.rollbackAlarm],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    })
  }

  private acknowledgeManagedPolicies() {
    acknowledge(this.fn, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'AWS-managed minimum for a Lambda: write to its own CloudWatch log streams.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]':
        'AWS-managed minimum for a Lambda in a VPC: manage its network interfaces.',
    })
    acknowledge(this.deploymentGroup, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]':
        'AWS-managed minimum for CodeDeploy to move a Lambda alias and read its alarms.',
    })
  }
}
