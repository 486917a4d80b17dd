import { Duration } from 'aws-cdk-lib'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { acknowledge } from '../nag.js'
import { REPO_ROOT } from '../paths.js'
import { createLogGroup } from './log_group.js'

const HANDLER_ENTRY = fileURLToPath(new URL('./deploy_check_handler.ts', import.meta.url))

/**
 * Requests with this header go to the test listener rule: green during a
 * deploy, the live colour otherwise. Green is the release stage-test passed,
 * so anyone reaching it early sees nothing they will not see minutes later.
 */
export const TEST_TRAFFIC_HEADER = { name: 'x-ngip-test-traffic', value: 'green' } as const

export interface DeployCheckProps {
  service: ecs.FargateService
  loadBalancer: elbv2.IApplicationLoadBalancer
  /** The app's host name, which the load balancer's certificate is for. */
  serverName: string
  path: string
  /** Keep the log group when the stack goes (prod). */
  retainLogs: boolean
}

/**
 * The lifecycle hook that holds a web deploy until green answers its
 * readiness check through the test listener rule (see deploy_check_handler).
 */
export class DeployCheck extends Construct {
  readonly fn: nodejs.NodejsFunction

  constructor(scope: Construct, id: string, props: DeployCheckProps) {
    super(scope, id)
    this.fn = new nodejs.NodejsFunction(this, 'Handler', {
      entry: HANDLER_ENTRY,
      handler: 'handler',
      description: 'Holds a web deploy until green answers through the test listener rule',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      timeout: Duration.seconds(90),
      environment: {
        GREEN_CHECK_HOST: props.loadBalancer.loadBalancerDnsName,
        GREEN_CHECK_SERVER_NAME: props.serverName,
        GREEN_CHECK_PATH: props.path,
        GREEN_CHECK_HEADER: `${TEST_TRAFFIC_HEADER.name}: ${TEST_TRAFFIC_HEADER.value}`,
        GREEN_CHECK_BUDGET_MS: '60000',
      },
      // Deploy-time logs only: a month is enough in every environment.
      logGroup: createLogGroup(this, 'Logs', {
        retention: RetentionDays.ONE_MONTH,
        retain: props.retainLogs,
      }),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'pnpm-lock.yaml'),
      bundling: { forceDockerBundling: false, target: 'node24', minify: true, sourceMap: true },
    })
    props.service.addLifecycleHook(
      new ecs.DeploymentLifecycleLambdaTarget(this.fn, 'GreenCheck', {
        lifecycleStages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT],
        role: this.invokerRole(),
      })
    )
    acknowledge(this.fn, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'AWS-managed minimum for a Lambda: write to its own CloudWatch log streams.',
    })
  }

  /** ECS calls the unqualified function, so no grant on its versions (`:*`). */
  private invokerRole() {
    const role = new iam.Role(this, 'InvokerRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'ECS runs the green check of a web deploy',
    })
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.fn.functionArn],
      })
    )
    return role
  }
}
