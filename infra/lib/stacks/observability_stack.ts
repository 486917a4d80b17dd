import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as kms from 'aws-cdk-lib/aws-kms'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import type * as rds from 'aws-cdk-lib/aws-rds'
import * as sns from 'aws-cdk-lib/aws-sns'
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions'
import type { Construct } from 'constructs'
import type { NgipConfig } from '../config.js'
import { pingQueueDepth } from '../metrics.js'

export interface ObservabilityStackProps extends StackProps {
  config: NgipConfig
  loadBalancer: elbv2.ApplicationLoadBalancer
  pingFunction: lambda.IFunction
  database: rds.IDatabaseInstance
}

interface AlarmSpec {
  metric: cloudwatch.IMetric
  threshold: number
  description: string
  below?: boolean
  evaluationPeriods?: number
  missingIsBreach?: boolean
}

const FIVE_MINUTES = Duration.minutes(5)
const GIB = 1024 ** 3

function webAlarms(alb: elbv2.ApplicationLoadBalancer): Record<string, AlarmSpec> {
  return {
    Alb5xx: {
      metric: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: FIVE_MINUTES }),
      threshold: 10,
      description: 'The load balancer answered 5xx (no healthy target, timeouts)',
    },
    Target5xx: {
      metric: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period: FIVE_MINUTES,
      }),
      threshold: 10,
      description: 'The web app answered 5xx',
    },
  }
}

function dataAlarms(db: rds.IDatabaseInstance): Record<string, AlarmSpec> {
  return {
    DatabaseCpu: {
      metric: db.metricCPUUtilization({ period: FIVE_MINUTES }),
      threshold: 80,
      evaluationPeriods: 3,
      description: 'PostgreSQL CPU above 80% for 15 minutes',
    },
    DatabaseStorage: {
      metric: db.metricFreeStorageSpace({ period: FIVE_MINUTES }),
      threshold: 2 * GIB,
      below: true,
      description: 'PostgreSQL has less than 2 GiB of free storage',
    },
  }
}

function pingAlarms(config: NgipConfig, fn: lambda.IFunction): Record<string, AlarmSpec> {
  return {
    PingQueueDepth: {
      metric: pingQueueDepth(config.envName),
      threshold: 5_000,
      evaluationPeriods: 5,
      missingIsBreach: true,
      description: 'Pings pile up in Redis, or the worker stopped reporting the depth',
    },
    PingErrors: {
      metric: fn.metricErrors({ period: FIVE_MINUTES }),
      threshold: 5,
      description: 'The ping Lambda threw',
    },
  }
}

/**
 * Alarms of the environment, all sent to one encrypted SNS topic. Log groups
 * live beside their producers, each with the environment's retention.
 */
export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props)
    this.topic = this.alarmTopic(props.config)
    const specs = {
      ...webAlarms(props.loadBalancer),
      ...dataAlarms(props.database),
      ...pingAlarms(props.config, props.pingFunction),
    }
    for (const [name, spec] of Object.entries(specs)) {
      this.alarm(name, spec)
    }
  }

  private alarmTopic(config: NgipConfig) {
    const key = new kms.Key(this, 'AlarmKey', {
      description: `${config.prefix} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    })
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      })
    )
    const topic = new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true })
    if (config.alarmEmail) {
      topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail))
    }
    return topic
  }

  private alarm(id: string, spec: AlarmSpec) {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      comparisonOperator: spec.below
        ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: spec.missingIsBreach
        ? cloudwatch.TreatMissingData.BREACHING
        : cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    })
    alarm.addAlarmAction(new SnsAction(this.topic))
    return alarm
  }
}
