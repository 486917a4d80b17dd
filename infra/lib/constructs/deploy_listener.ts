import { Duration } from 'aws-cdk-lib'
import type * as acm from 'aws-cdk-lib/aws-certificatemanager'
import type * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import { Construct } from 'constructs'
import { acknowledge } from '../nag.js'
import { TEST_TRAFFIC_HEADER } from './deploy_check.js'

export interface DeployListenerProps {
  vpc: ec2.IVpc
  loadBalancer: elbv2.ApplicationLoadBalancer
  certificate: acm.ICertificate
  /** The port the web container listens on. */
  port: number
  healthCheckPath: string
}

/**
 * The HTTPS listener of a blue/green service: two target groups, a production
 * rule and a test rule. Both rules start on blue; ECS moves their weights
 * during a deploy. The rules must not change in the template afterwards:
 * CloudFormation would put the weights back on whichever colour was blue then.
 */
export class DeployListener extends Construct {
  readonly blue: elbv2.ApplicationTargetGroup
  readonly green: elbv2.ApplicationTargetGroup
  readonly productionRule: elbv2.ApplicationListenerRule
  readonly testRule: elbv2.ApplicationListenerRule

  constructor(scope: Construct, id: string, props: DeployListenerProps) {
    super(scope, id)
    this.blue = this.targetGroup('Blue', props)
    this.green = this.targetGroup('Green', props)
    const listener = props.loadBalancer.addListener('PublicListener', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      // ECS blue/green accepts only forward actions on the listener.
      defaultAction: elbv2.ListenerAction.forward([this.blue]),
    })
    const header = elbv2.ListenerCondition.httpHeader(TEST_TRAFFIC_HEADER.name, [
      TEST_TRAFFIC_HEADER.value,
    ])
    this.testRule = this.rule(listener, 'TestRule', 1, header)
    this.productionRule = this.rule(
      listener,
      'ProductionRule',
      10,
      elbv2.ListenerCondition.pathPatterns(['/*'])
    )
  }

  /** Registers `service` in blue, with green as its alternate for deploys. */
  attach(service: ecs.FargateService, containerName: string) {
    const target = service.loadBalancerTarget({
      containerName,
      alternateTarget: new ecs.AlternateTarget('Green', {
        alternateTargetGroup: this.green,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(
          this.productionRule
        ),
        testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(this.testRule),
      }),
    })
    target.attachToApplicationTargetGroup(this.blue)
    // ECS refuses an alternate target group that no listener uses yet.
    service.node.addDependency(this.green.loadBalancerAttached)
    acknowledge(service, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]':
        'AWS-managed policy made for ECS blue/green: move listener rule weights and register targets.',
    })
  }

  private rule(
    listener: elbv2.ApplicationListener,
    id: string,
    priority: number,
    condition: elbv2.ListenerCondition
  ) {
    return new elbv2.ApplicationListenerRule(this, id, {
      listener,
      priority,
      conditions: [condition],
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: this.blue, weight: 100 },
        { targetGroup: this.green, weight: 0 },
      ]),
    })
  }

  private targetGroup(id: string, props: DeployListenerProps) {
    return new elbv2.ApplicationTargetGroup(this, id, {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: props.port,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: props.healthCheckPath, healthyHttpCodes: '200' },
    })
  }
}
