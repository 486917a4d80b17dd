import { Duration } from 'aws-cdk-lib'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import type * as ssm from 'aws-cdk-lib/aws-ssm'
import { Construct } from 'constructs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderPattern } from '../arn_pattern.js'
import { acknowledge } from '../nag.js'
import { REPO_ROOT } from '../paths.js'
import { createLogGroup, type LogSettings } from './log_group.js'

const ENTRY = fileURLToPath(new URL('../../../pipelines/webhook/handler.ts', import.meta.url))
const GROUP_ARN =
  'arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/'

export interface PushWebhookFunctionProps {
  secret: secretsmanager.ISecret
  deliveries: dynamodb.ITable
  lastPush: ssm.IStringParameter
  /** The only Auto Scaling group the function may scale. */
  groupName: string
  logs: LogSettings
}

/**
 * The webhook's Node 24 Lambda (pipelines/webhook/handler.ts), bundled by the
 * local esbuild, allowed exactly the four calls it makes, each on its one resource.
 */
export class PushWebhookFunction extends Construct {
  readonly fn: nodejs.NodejsFunction

  constructor(scope: Construct, id: string, props: PushWebhookFunctionProps) {
    super(scope, id)
    this.fn = new nodejs.NodejsFunction(this, 'Handler', {
      entry: ENTRY,
      handler: 'handler',
      description: 'ngip push webhook: verifies GitHub deliveries and wakes the build host',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // GitHub gives up after 10 seconds.
      timeout: Duration.seconds(9),
      environment: {
        WEBHOOK_SECRET_ID: props.secret.secretArn,
        DELIVERIES_TABLE: props.deliveries.tableName,
        LAST_PUSH_PARAMETER: props.lastPush.parameterName,
        BUILD_HOST_GROUP: props.groupName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      logGroup: createLogGroup(this, 'Logs', props.logs),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'pnpm-lock.yaml'),
      // The SDK clients go into the bundle: the versions the tests ran, not the runtime's.
      bundling: {
        forceDockerBundling: false,
        target: 'node24',
        minify: true,
        sourceMap: true,
        externalModules: [],
      },
    })
    this.grant(props)
  }

  private grant(props: PushWebhookFunctionProps) {
    const statements = [
      { actions: ['secretsmanager:GetSecretValue'], resources: [props.secret.secretArn] },
      {
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [props.deliveries.tableArn],
      },
      { actions: ['ssm:PutParameter'], resources: [props.lastPush.parameterArn] },
      {
        actions: ['autoscaling:SetDesiredCapacity'],
        resources: [renderPattern(`${GROUP_ARN}${props.groupName}`, 'iam')],
      },
    ]
    for (const statement of statements) {
      this.fn.addToRolePolicy(new iam.PolicyStatement(statement))
    }
    acknowledge(this.fn, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'AWS-managed minimum for a Lambda: write to its own CloudWatch log streams.',
      [`AwsSolutions-IAM5[Resource::${renderPattern(GROUP_ARN, 'nag')}${props.groupName}]`]:
        'The group ARN carries a generated id; the grant names the build host group and nothing else.',
    })
  }
}
