import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib'
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import * as logs from 'aws-cdk-lib/aws-logs'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import * as ssm from 'aws-cdk-lib/aws-ssm'
import { Construct } from 'constructs'
import { acknowledge } from '../nag.js'
import { createLogGroup } from './log_group.js'
import { PushWebhookFunction } from './push_webhook_function.js'

/** Where the webhook records the last push; the build host's agent reads it. */
export const LAST_PUSH_PARAMETER = '/ngip/build-host/last-push'
/** The secret the user copies into the GitHub webhook's settings. */
export const WEBHOOK_SECRET_NAME = 'ngip/push-webhook'

const LOGS = { retention: logs.RetentionDays.ONE_MONTH, retain: false }

export interface PushWebhookProps {
  /** The build host's Auto Scaling group, the only one the webhook may scale. */
  groupName: string
  /** The build host's role, which may read the last push. */
  hostRole: iam.IRole
}

/**
 * `POST /webhook` for GitHub: a Lambda checks the HMAC signature with the
 * shared secret, refuses replayed delivery ids (DynamoDB, conditional write),
 * records the push in SSM and scales the build host's group to one.
 */
export class PushWebhook extends Construct {
  readonly fn: nodejs.NodejsFunction
  readonly api: apigw.HttpApi
  readonly secret: secretsmanager.Secret
  readonly deliveries: dynamodb.Table
  readonly lastPush: ssm.StringParameter

  constructor(scope: Construct, id: string, props: PushWebhookProps) {
    super(scope, id)
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: WEBHOOK_SECRET_NAME,
      description: 'ngip push webhook: the secret shared with the GitHub webhook',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    })
    this.deliveries = new dynamodb.Table(this, 'Deliveries', {
      partitionKey: { name: 'delivery', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.lastPush = new ssm.StringParameter(this, 'LastPush', {
      parameterName: LAST_PUSH_PARAMETER,
      description: 'ngip: the last push the webhook accepted (JSON; {} before the first)',
      stringValue: '{}',
    })
    props.hostRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [this.lastPush.parameterArn],
      })
    )
    const { secret, deliveries, lastPush } = this
    const { groupName } = props
    const handler = { secret, deliveries, lastPush, groupName, logs: LOGS }
    this.fn = new PushWebhookFunction(this, 'Function', handler).fn
    this.api = this.httpApi()
    this.outputs(scope)
    this.acknowledgeFindings()
  }

  private httpApi() {
    const api = new apigw.HttpApi(this, 'Api', {
      apiName: 'ngip-push-webhook',
      description: 'ngip: GitHub push webhook that wakes the build host',
      createDefaultStage: false,
    })
    api.addRoutes({
      path: '/webhook',
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('Webhook', this.fn),
    })
    api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // GitHub sends a handful of deliveries a day; anything more is noise.
      throttle: { rateLimit: 5, burstLimit: 10 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(createLogGroup(this, 'AccessLogs', LOGS)),
      },
    })
    return api
  }

  private outputs(scope: Construct) {
    new CfnOutput(scope, 'WebhookUrl', {
      value: `${this.api.apiEndpoint}/webhook`,
      description: 'Payload URL of the GitHub webhook (content type application/json)',
    })
    new CfnOutput(scope, 'WebhookSecretName', {
      value: WEBHOOK_SECRET_NAME,
      description: 'Secrets Manager secret to paste into the GitHub webhook as its secret',
    })
  }

  private acknowledgeFindings() {
    acknowledge(this.deliveries, {
      'AwsSolutions-DDB3':
        'Delivery ids live 7 days to refuse replays; a restored copy has no use, and a lost table only lets an old delivery wake the host once more.',
    })
    acknowledge(this.secret, {
      'AwsSolutions-SMG4':
        'GitHub keeps its own copy of this secret; rotating it is done by hand in both places at once.',
    })
    acknowledge(this.api, {
      'AwsSolutions-APIG4':
        'GitHub cannot call an authorizer; every delivery is authenticated by its HMAC signature in the Lambda.',
    })
  }
}
